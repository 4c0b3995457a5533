/**
 * Can a CodeCommit request made from outside your networks get through the policies in effect
 * on a principal (CCE.12, CCE.13)? The policies come in gates: each SCP level (root, every OU
 * on the path, the account), the identity policies, a permissions boundary. A request gets
 * through when every gate has an Allow that may apply and no Deny anywhere surely applies
 * (explicit Deny wins; a level without an Allow denies implicitly).
 *
 * Requests "from outside" are witnesses: from a public address outside `trustedCidrs` (one
 * address the policies never name, one inside each block they name that is not yours), through
 * no VPC endpoint (`aws:SourceVpc`, `aws:SourceVpce`, `aws:Vpce*` absent), not via an AWS
 * service, by the principal(s) in question. Keys the auditor cannot know are left to the
 * requester: an Allow conditioned on them may apply, a Deny conditioned on them may be avoided.
 */
import { addressOutside, cidrContains, formatCidr, parseCidr, type Cidr } from '../core/cidr';
import type { Partition } from '../core/regions';
import { charge, Meter, metered } from './budget';
import {
  actionMatches,
  evaluateCondition,
  fillWildcards,
  resourceMatches,
  UNKNOWN,
  type Context,
  type Tri,
} from './match';
import type { Condition, Policy, Statement } from './parse';

/** A policy in effect, with the words that name it in messages (e.g. `SCP "DenyOutside" on ou-ab12-34cd5678`). */
export interface PolicyInEffect {
  label: string;
  policy: Policy;
}

/** Policies one of which must allow a request: an SCP level, the identity policies, a boundary. */
export interface Gate {
  label: string;
  policies: PolicyInEffect[];
}

/**
 * How principal tags are judged: the principal's known tags; or unknown, where `free(key)` says
 * which tag keys the requester may carry or lack as it likes (the others: every Deny on them applies).
 */
export type TagMode = ReadonlyMap<string, string> | { free: (key: string) => boolean };

/** Tags that open nothing: every Deny conditioned on a principal tag applies. */
export const NO_TAG_ESCAPES: TagMode = { free: () => false };
/** Any tag, present or absent. */
export const ANY_TAGS: TagMode = { free: () => true };

export interface Principal {
  arn: string;
  type: 'User' | 'AssumedRole';
  userName?: string;
}

/** A Deny that would cover a request but does not surely apply to it, and the condition that lets it through. */
export interface RequestEscape {
  label: string;
  statement: Statement;
  condition: Condition;
  outcome: 'false' | 'unknown';
}

export interface Passage {
  action: string;
  principal: Principal;
  /** The address the request came from. */
  sourceIp: string;
  /** The Allow of each gate that lets it through. */
  allowedBy: { gate: string; label: string; statement: Statement }[];
  escapes: RequestEscape[];
  /** Principal tag keys the passage depends on (in an escaped Deny or an Allow). */
  tags: string[];
}

export interface Blocked {
  action: string;
  /** The Deny that surely applies, or the gate with no Allow for the request. */
  deniedBy: { label: string; statement: Statement } | undefined;
  noAllowIn: string | undefined;
}

export const GIT_ACTIONS: readonly string[] = ['codecommit:GitPull', 'codecommit:GitPush'];
// The API actions with the telling ones first (the first action a passage admits is the one a message names).
export { API_ACTIONS } from './analyze';

const TAG_PREFIX = 'aws:principaltag/';

/** Condition keys that a request from the internet does not carry. */
const ABSENT_FROM_INTERNET = [
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:vpcsourceip',
  'aws:vpceaccount',
  'aws:vpceorgid',
  'aws:vpceorgpaths',
];

/** The request context of one witness: what is known, absent, or left to the requester. */
class RequestContext implements Context {
  constructor(
    private readonly known: ReadonlyMap<string, readonly string[] | undefined>,
    private readonly tags: TagMode,
  ) {}

  get(key: string): readonly string[] | undefined | typeof UNKNOWN {
    if (key.startsWith(TAG_PREFIX)) {
      if (!('free' in this.tags)) {
        const value = this.tags.get(key.slice(TAG_PREFIX.length));
        return value === undefined ? undefined : [value];
      }
      return UNKNOWN;
    }
    return this.known.has(key) ? this.known.get(key) : UNKNOWN;
  }
}

function isTagCondition(c: Condition): boolean {
  return c.keyLower.startsWith(TAG_PREFIX);
}

/** The tag key of a condition on aws:PrincipalTag/KEY, lower-cased. */
export function tagKey(c: Condition): string {
  return c.keyLower.slice(TAG_PREFIX.length);
}

/** All conditions of a statement, AND-ed, three-valued; a Deny's condition on a tag that is not free holds. */
function conditionsOf(s: Statement, ctx: RequestContext, tags: TagMode): { result: Tri; first?: Condition } {
  let result: Tri = 'true';
  let first: Condition | undefined;
  for (const c of s.conditions) {
    charge(1 + c.values.length);
    let outcome: Tri;
    if (isTagCondition(c) && 'free' in tags && !tags.free(tagKey(c)))
      outcome = s.effect === 'Deny' ? 'true' : 'unknown';
    else outcome = evaluateCondition(c, ctx);
    if (outcome === 'false') return { result: 'false', first: c };
    if (outcome === 'unknown' && result === 'true') {
      result = 'unknown';
      first = c;
    }
  }
  return { result, first };
}

interface Witness {
  action: string;
  resource: string;
  principal: Principal;
  sourceIp: string;
  ctx: RequestContext;
}

function judge(gates: readonly Gate[], w: Witness, tags: TagMode): Passage | Blocked {
  const allowedBy: Passage['allowedBy'] = [];
  const escapes: RequestEscape[] = [];
  const tagKeys = new Set<string>();
  for (const gate of gates) {
    let allow: { label: string; statement: Statement } | undefined;
    for (const { label, policy } of gate.policies) {
      for (const s of policy.statements) {
        charge(1);
        if (!actionMatches(s, w.action) || !resourceMatches(s, w.resource)) continue;
        const { result, first } = conditionsOf(s, w.ctx, tags);
        if (s.effect === 'Deny') {
          if (result === 'true') return { action: w.action, deniedBy: { label, statement: s }, noAllowIn: undefined };
          if (first) {
            escapes.push({ label, statement: s, condition: first, outcome: result === 'false' ? 'false' : 'unknown' });
            if (isTagCondition(first)) tagKeys.add(tagKey(first));
          }
        } else if (result !== 'false' && !allow) {
          allow = { label, statement: s };
          for (const c of s.conditions) if (isTagCondition(c)) tagKeys.add(tagKey(c));
        }
      }
    }
    if (!allow) return { action: w.action, deniedBy: undefined, noAllowIn: gate.label };
    allowedBy.push({ gate: gate.label, ...allow });
  }
  return {
    action: w.action,
    principal: w.principal,
    sourceIp: w.sourceIp,
    allowedBy,
    escapes,
    tags: [...tagKeys].sort(),
  };
}

export function isPassage(outcome: Passage | Blocked): outcome is Passage {
  return 'allowedBy' in outcome;
}

/** Who is asking, from where, about what. */
export interface RequestSetting {
  accountId: string;
  region: string;
  partition: Partition;
  organization: { id: string; path: string } | undefined;
  trustedCidrs: readonly Cidr[];
  /** The principals to try; empty: any IAM principal of the account (witnesses). */
  principals?: readonly Principal[];
}

/** Every string a statement's conditions compare aws:PrincipalArn or aws:SourceIp with, across gates. */
function named(gates: readonly Gate[]) {
  const arns = new Set<string>();
  const cidrs: Cidr[] = [];
  const resources = new Set<string>();
  for (const gate of gates)
    for (const { policy } of gate.policies)
      for (const s of policy.statements) {
        for (const pattern of s.resources.patterns) resources.add(pattern);
        for (const c of s.conditions) {
          for (const value of c.values) {
            if (c.keyLower === 'aws:principalarn') arns.add(value);
            if (c.keyLower === 'aws:sourceip') {
              const cidr = parseCidr(value);
              if (cidr) cidrs.push(cidr);
            }
          }
        }
      }
  return { arns, cidrs, resources };
}

/** A public IPv4 address the policies never name and that is not yours, plus one inside each named block that is not yours. */
function sourceAddresses(cidrs: readonly Cidr[], trusted: readonly Cidr[]): string[] {
  const out = new Set<string>();
  const all = [...cidrs, ...trusted];
  for (const candidate of ['198.18.0.1', '192.0.2.10', '203.0.113.200', '100.0.0.1', '45.0.0.1', '151.101.0.1']) {
    const address = parseCidr(candidate) as Cidr;
    if (!all.some((c) => cidrContains(c, address))) {
      out.add(candidate);
      break;
    }
  }
  for (const block of cidrs) {
    const inside = addressOutside(block, trusted);
    if (inside) out.add(formatCidr(inside));
  }
  return [...out];
}

/** AWS's own identities (service-linked and reserved `aws:` roles) make no request from the internet. */
function isAwsReserved(arn: string): boolean {
  return /:role\/aws:|:role\/aws-service-role\//.test(arn);
}

function witnessPrincipals(setting: RequestSetting, patterns: Iterable<string>): Principal[] {
  if (setting.principals && setting.principals.length > 0) return [...setting.principals];
  const { partition, accountId } = setting;
  const out = new Map<string, Principal>([
    [
      `arn:${partition}:iam::${accountId}:role/witness-role`,
      { arn: `arn:${partition}:iam::${accountId}:role/witness-role`, type: 'AssumedRole' },
    ],
    [
      `arn:${partition}:iam::${accountId}:user/witness-user`,
      { arn: `arn:${partition}:iam::${accountId}:user/witness-user`, type: 'User', userName: 'witness-user' },
    ],
  ]);
  for (const pattern of patterns) {
    const parts = pattern.split(':');
    if (parts.length < 6 || !/^(\*|\d{12}|[\d*?]+)$/.test(parts[4] ?? '')) continue;
    parts[4] = accountId;
    const arn = fillWildcards(parts.join(':'), 'w');
    if (isAwsReserved(arn) || !/:(role|user)\//.test(arn)) continue;
    const isUser = /:user\//.test(arn);
    out.set(arn, isUser ? { arn, type: 'User', userName: arn.split('/').pop() ?? '' } : { arn, type: 'AssumedRole' });
  }
  return [...out.values()];
}

function witnessResources(setting: RequestSetting, patterns: Iterable<string>): string[] {
  const { partition, region, accountId } = setting;
  const out = new Set([`arn:${partition}:codecommit:${region}:${accountId}:witness-repository`]);
  for (const pattern of patterns) {
    const parts = pattern.split(':');
    if (parts.length < 6 || !/^(codecommit|[*?]+)$/i.test(parts[2] ?? '')) continue;
    parts[0] = 'arn';
    parts[1] = partition;
    parts[2] = 'codecommit';
    if (/[*?]/.test(parts[3] ?? '')) parts[3] = region;
    if (/[*?]/.test(parts[4] ?? '')) parts[4] = accountId;
    out.add(fillWildcards(parts.join(':'), 'w'));
  }
  return [...out];
}

/** Work allowed to judge one principal's or one account's requests. */
export const REQUEST_BUDGET = 2_000_000;

/**
 * The first request of `actions` from outside your networks that gets through the gates, or the
 * reason each action is blocked (by the first witness tried). Throws PolicyTooComplexError past the budget.
 */
export function requestFromOutside(
  gates: readonly Gate[],
  actions: readonly string[],
  setting: RequestSetting,
  tags: TagMode,
): { passage: Passage | undefined; blocked: Blocked[] } {
  return metered(new Meter(REQUEST_BUDGET), () => {
    const names = named(gates);
    const principals = witnessPrincipals(setting, names.arns);
    const resources = witnessResources(setting, names.resources);
    const addresses = sourceAddresses(names.cidrs, setting.trustedCidrs);
    const blocked: Blocked[] = [];
    for (const action of actions) {
      let first: Blocked | undefined;
      for (const principal of principals)
        for (const resource of resources)
          for (const sourceIp of addresses) {
            const known = new Map<string, readonly string[] | undefined>([
              ['aws:sourceip', [sourceIp]],
              ['aws:viaawsservice', ['false']],
              ['aws:principalisawsservice', ['false']],
              ['aws:principalaccount', [setting.accountId]],
              ['aws:principalarn', [principal.arn]],
              ['aws:principaltype', [principal.type]],
              ['aws:resourceaccount', [setting.accountId]],
              ['aws:principalorgid', setting.organization ? [setting.organization.id] : undefined],
              ['aws:principalorgpaths', setting.organization ? [setting.organization.path] : undefined],
              ...ABSENT_FROM_INTERNET.map((key): [string, undefined] => [key, undefined]),
            ]);
            if (principal.userName) known.set('aws:username', [principal.userName]);
            const ctx = new RequestContext(known, tags);
            const outcome = judge(gates, { action, resource, principal, sourceIp, ctx }, tags);
            if (isPassage(outcome)) return { passage: outcome, blocked };
            first ??= outcome;
          }
      if (first) blocked.push(first);
    }
    return { passage: undefined, blocked };
  });
}

/** A perimeter's state, as for endpoint policies: closed, open, open only by principal tags (an exception), or accepted. */
export interface NetworkPerimeter {
  state: 'closed' | 'open' | 'exception' | 'accepted';
  passage: Passage | undefined;
  /** Why each kind of request is blocked, when closed. */
  blocked: Blocked[];
}

/**
 * Judge requests from outside your networks through the gates: open when some gets through
 * whatever the principal's tags; an exception when only principals carrying (or lacking) a tag
 * get through; accepted when every such tag is listed in `acceptedTags`; else closed.
 */
export function networkPerimeter(
  gates: readonly Gate[],
  actions: readonly string[],
  setting: RequestSetting,
  acceptedTags: readonly string[],
): NetworkPerimeter {
  const accepted = new Set(acceptedTags.map((tag) => tag.toLowerCase()));
  const strict = requestFromOutside(gates, actions, setting, NO_TAG_ESCAPES);
  if (strict.passage) return { state: 'open', passage: strict.passage, blocked: [] };
  const unaccepted = requestFromOutside(gates, actions, setting, { free: (key) => !accepted.has(key) });
  if (unaccepted.passage) return { state: 'exception', passage: unaccepted.passage, blocked: [] };
  const any = requestFromOutside(gates, actions, setting, ANY_TAGS);
  if (any.passage) return { state: 'accepted', passage: any.passage, blocked: strict.blocked };
  return { state: 'closed', passage: undefined, blocked: strict.blocked };
}
