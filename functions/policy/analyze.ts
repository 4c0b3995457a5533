/**
 * What an endpoint policy allows, judged as a whole (DESIGN section 2, CCE.6–CCE.8).
 *
 * "Can some request of this kind get through?" is answered over a finite set of witness
 * requests built from every account, organization, ARN and repository name the policy
 * mentions, plus fresh ones it does not: a policy treats all unmentioned values alike, so the
 * witnesses cover every case. Explicit Deny wins. Keys the auditor cannot know are left to the
 * requester: an Allow conditioned on them may apply, a Deny conditioned on them may be avoided.
 * aws:SourceIp is absent through an endpoint; aws:SourceVpc and aws:SourceVpce are the endpoint's.
 *
 * Work is bounded: each statement is judged once per principal and per resource witness
 * (signatures), witnesses alike for every statement are searched once, and a budget of steps
 * turns a policy beyond it into a "too complex" result instead of a stalled scan.
 */
import type { Partition, Traffic } from '../core/regions';
import { charge, Meter, metered, PolicyTooComplexError } from './budget';
import { CODECOMMIT_ACTION_ACCESS, CODECOMMIT_ACTIONS } from './codecommit-actions';
import {
  actionMatches,
  EndpointContext,
  evaluateCondition,
  fillWildcards,
  hasWildcard,
  principalMatches,
  resourceMatches,
  UNKNOWN,
  type Context,
  type RequestPrincipal,
  type Tri,
} from './match';
import type { Condition, Policy, Statement } from './parse';

export interface EndpointFacts {
  accountId: string;
  region: string;
  partition: Partition;
  vpcId: string;
  endpointId: string;
  traffic: Traffic;
}

export interface Trust {
  trustedAccounts: readonly string[];
  trustedOrgIds: readonly string[];
  /** Principal tag keys whose documented perimeter exceptions are accepted. */
  perimeterExceptionTags?: readonly string[];
}

/** A Deny that would cover a request but does not apply to it, and the condition that lets it through. */
export interface Escape {
  deny: Statement;
  condition: Condition;
  /** The condition is false for the request, or depends on what the auditor cannot know. */
  outcome: 'false' | 'unknown';
}

/** A request that gets through: what, by whom, to where, the Allow that admits it and the Denies it escapes. */
export interface Hole {
  statement: Statement;
  action: string;
  principal: RequestPrincipal;
  resourceAccount: string;
  escapes: Escape[];
  /** Principal tag keys the request's success depends on (in the Allow or in an escaped Deny). */
  tags: string[];
}

/**
 * A perimeter's state: closed; open; open only to trusted principals carrying a principal tag
 * (a documented exception, not accepted); or such an exception listed in perimeterExceptionTags.
 */
export interface Perimeter {
  state: 'closed' | 'open' | 'exception' | 'accepted';
  hole: Hole | undefined;
  /** For exceptions: the tag keys that open the perimeter. */
  tags: string[];
  /** For open perimeters: some Read- or Write-level repository action gets through (else List only). */
  readOrWrite: boolean;
}

export interface PolicyAnalysis {
  /** Untrusted principals making CodeCommit requests through the endpoint. */
  identity: Perimeter;
  /** Requests reaching repositories outside the trusted set. */
  resource: Perimeter;
  /** A Read- or Write-level repository action by an untrusted principal on an untrusted repository. */
  crossing: Hole | undefined;
  /** Someone can push (codecommit:GitPush) through the endpoint (Git endpoints only). */
  push: Hole | undefined;
  /** Some CodeCommit request of this endpoint's kind is allowed at all. */
  usable: boolean;
  /** Organizations the policy's perimeter names, taken as trusted when trustedOrgIds is empty. */
  perimeterOrgs: string[];
  /** Steps of the budget the analysis used. */
  steps: number;
}

/** Work allowed for one analysis: far above any policy within AWS's 20 KB limit written by a person. */
export const DEFAULT_BUDGET = 4_000_000;

// Pushes first, then common API actions: the first action a hole admits is the example a message names.
export const GIT_ACTIONS: readonly string[] = ['codecommit:GitPush', 'codecommit:GitPull'];
const TELLING_API_ACTIONS = ['PutFile', 'GetBlob', 'CreateRepository', 'GetRepository', 'ListRepositories'];
export const API_ACTIONS: readonly string[] = [
  ...TELLING_API_ACTIONS.filter((name) => CODECOMMIT_ACTIONS.includes(name)),
  ...CODECOMMIT_ACTIONS.filter((name) => !name.startsWith('Git') && !TELLING_API_ACTIONS.includes(name)),
].map((name) => `codecommit:${name}`);

export function actionsOf(traffic: Traffic): readonly string[] {
  return traffic === 'git' ? GIT_ACTIONS : API_ACTIONS;
}

/** Read- or Write-level actions on repositories: what copies code in or out (DESIGN: severity by what crosses). */
export function readsOrWritesRepositories(action: string): boolean {
  const access = CODECOMMIT_ACTION_ACCESS[action.slice('codecommit:'.length)];
  return access !== undefined && access.repository && access.level !== 'List';
}

const ACCOUNT_RE = /(?<!\d)\d{12}(?!\d)/g;
const ORG_RE = /o-[a-z0-9]{10,32}/gi;
const ORG_KEYS = new Set(['aws:principalorgid', 'aws:principalorgpaths', 'aws:resourceorgid', 'aws:resourceorgpaths']);
const TAG_PREFIX = 'aws:principaltag/';

type Side = 'principal' | 'resource' | 'request';
function sideOf(key: string): Side {
  if (key.startsWith('aws:principal')) return 'principal';
  if (key === 'aws:resourceaccount' || key === 'aws:resourceorgid' || key === 'aws:resourceorgpaths') return 'resource';
  return 'request';
}

function freshAccount(taken: ReadonlySet<string>): string {
  for (let n = 999_999_999_999; ; n--) {
    const candidate = String(n);
    if (!taken.has(candidate)) return candidate;
  }
}

interface OrgVariant {
  orgId: string | undefined;
  paths: string[] | undefined;
}

/** Everything the policy names, which the witnesses must cover. */
function mentions(policy: Policy) {
  const accounts = new Set<string>();
  const orgs = new Set<string>();
  const orgPaths: { principal: string[]; resource: string[] } = { principal: [], resource: [] };
  const principalArns = new Set<string>();
  const repoNames = new Map<string, Set<string>>(); // account pattern → repository names
  const tags = new Set<string>();
  const addName = (account: string, name: string): void => {
    let names = repoNames.get(account);
    if (!names) repoNames.set(account, (names = new Set()));
    names.add(fillWildcards(name, 'w'));
  };
  for (const s of policy.statements) {
    for (const entry of s.principals.entries) {
      if (entry.kind === 'account' || entry.kind === 'arn') accounts.add(entry.account);
      if (entry.kind === 'arn') principalArns.add(entry.arn);
    }
    for (const pattern of s.resources.patterns) {
      for (const match of pattern.matchAll(ACCOUNT_RE)) accounts.add(match[0]);
      const parts = pattern.split(':');
      const name = parts.slice(5).join(':');
      if (name) addName(parts[4] ?? '*', name);
    }
    for (const c of s.conditions) {
      const key = c.keyLower;
      if (key.startsWith(TAG_PREFIX)) tags.add(c.key.slice(TAG_PREFIX.length));
      for (const value of c.values) {
        for (const match of value.matchAll(ACCOUNT_RE)) accounts.add(match[0]);
        if (ORG_KEYS.has(key)) for (const match of value.matchAll(ORG_RE)) orgs.add(match[0].toLowerCase());
        if (key === 'aws:principalarn') principalArns.add(value);
        if (key === 'aws:principalorgpaths') orgPaths.principal.push(fillWildcards(value, 'w'));
        if (key === 'aws:resourceorgpaths') orgPaths.resource.push(fillWildcards(value, 'w'));
      }
    }
  }
  return { accounts, orgs, orgPaths, principalArns, repoNames, tags: [...tags] };
}

function orgVariants(orgs: Iterable<string>, paths: readonly string[]): OrgVariant[] {
  const variants: OrgVariant[] = [{ orgId: undefined, paths: undefined }];
  for (const org of orgs) variants.push({ orgId: org, paths: [`${org}/r-wxyz/`] });
  for (const path of paths) {
    const org = /^(o-[a-z0-9]+)/.exec(path)?.[1];
    if (org) variants.push({ orgId: org, paths: [path] });
  }
  return variants;
}

/** Named principal ARN patterns, split once: by the account they name, and those whose account is a wildcard. */
function arnPatterns(patterns: Iterable<string>) {
  const byAccount = new Map<string, string[][]>();
  const anyAccount: string[][] = [];
  for (const pattern of patterns) {
    const parts = pattern.split(':');
    if (parts.length < 6) continue;
    const segment = parts[4] ?? '';
    if (hasWildcard(segment) && /^[0-9*?]*$/.test(segment)) anyAccount.push(parts);
    else if (!hasWildcard(segment)) {
      const list = byAccount.get(segment);
      if (list) list.push(parts);
      else byAccount.set(segment, [parts]);
    }
  }
  return { byAccount, anyAccount };
}

/** Principal ARNs for an account: a generic role plus every named ARN that fits the account. */
function principalArnsFor(account: string, partition: Partition, named: ReturnType<typeof arnPatterns>): string[] {
  const arns = new Set([`arn:${partition}:iam::${account}:role/witness-role`]);
  for (const parts of [...(named.byAccount.get(account) ?? []), ...named.anyAccount]) {
    charge(16); // building a witness ARN costs about as much as matching sixteen patterns
    const filled = [...parts];
    filled[4] = account;
    arns.add(fillWildcards(filled.join(':'), 'w'));
  }
  return [...arns];
}

interface PrincipalWitness extends RequestPrincipal {
  trusted: boolean;
  values: Map<string, readonly string[] | undefined>;
}

interface ResourceWitness {
  arn: string;
  account: string;
  trusted: boolean;
  values: Map<string, readonly string[] | undefined>;
}

/** How principal tags are judged: any value (unknown), none, or unknown only for some keys. */
type TagMode = 'any' | 'none' | ReadonlySet<string>;

function tagValue(mode: TagMode, key: string): readonly string[] | undefined | typeof UNKNOWN {
  if (mode === 'any') return UNKNOWN;
  if (mode === 'none') return undefined;
  return mode.has(key.slice(TAG_PREFIX.length).toLowerCase()) ? UNKNOWN : undefined;
}

/** The context of one witness request: principal and resource values, the endpoint's own keys. */
class WitnessContext implements Context {
  principal: PrincipalWitness | undefined;
  resource: ResourceWitness | undefined;
  tags: TagMode = 'any';

  constructor(private readonly endpoint: EndpointContext) {}

  get(key: string): readonly string[] | undefined | typeof UNKNOWN {
    if (key.startsWith(TAG_PREFIX)) return tagValue(this.tags, key);
    const side = sideOf(key);
    if (side === 'principal') {
      const values = this.principal?.values;
      return values?.has(key) ? values.get(key) : UNKNOWN;
    }
    if (side === 'resource') {
      const values = this.resource?.values;
      return values?.has(key) ? values.get(key) : UNKNOWN;
    }
    return this.endpoint.get(key);
  }
}

const F = 0;
const U = 1;
const T = 2;
const TRI: Record<Tri, number> = { false: F, unknown: U, true: T };

/** A query: which actions, principals and resources; and, optionally, which of the holes found count. */
interface Query {
  actions: readonly string[];
  principal?: (p: PrincipalWitness) => boolean;
  resource?: (r: ResourceWitness) => boolean;
  tags: TagMode;
  accept?: (hole: Hole) => boolean;
}

class Analysis {
  private readonly statements: readonly Statement[];
  private readonly endpoint: EndpointContext;
  private readonly ctx: WitnessContext;
  private readonly principals: PrincipalWitness[] = [];
  private readonly resources: ResourceWitness[] = [];
  /** Per statement: its request-side conditions (endpoint keys, unknown keys), judged once. */
  private readonly requestPart: number[];
  private readonly actionPart = new Map<string, Uint8Array>();
  private readonly principalPart = new Map<string, Uint8Array[]>();
  private readonly resourcePart: Uint8Array[];
  readonly perimeterOrgs: string[];

  constructor(
    policy: Policy,
    private readonly facts: EndpointFacts,
    trust: Trust,
  ) {
    this.statements = policy.statements;
    this.endpoint = new EndpointContext(facts.vpcId, facts.endpointId);
    this.ctx = new WitnessContext(this.endpoint);
    const named = mentions(policy);
    this.perimeterOrgs = [...named.orgs].sort();
    const trustedAccounts = new Set([facts.accountId, ...trust.trustedAccounts]);
    // With no trusted organizations configured, any organization the policy's perimeter names is taken as yours.
    const trustedOrgs = new Set(trust.trustedOrgIds.length > 0 ? trust.trustedOrgIds : named.orgs);
    const fresh = freshAccount(new Set([...named.accounts, ...trustedAccounts]));
    const accounts = [...new Set([...trustedAccounts, ...named.accounts, fresh])];
    const orgs = [...new Set([...named.orgs, ...trustedOrgs, 'o-witness00untrusted'])];
    const isTrusted = (account: string, orgId: string | undefined): boolean =>
      trustedAccounts.has(account) || (orgId !== undefined && trustedOrgs.has(orgId));

    // Organization variants matter only to a policy that conditions on organizations.
    const keys = new Set(policy.statements.flatMap((s) => s.conditions.map((c) => c.keyLower)));
    const none: OrgVariant[] = [{ orgId: undefined, paths: undefined }];
    const principalOrgs =
      keys.has('aws:principalorgid') || keys.has('aws:principalorgpaths')
        ? orgVariants(orgs, named.orgPaths.principal)
        : none;
    const resourceOrgs =
      keys.has('aws:resourceorgid') || keys.has('aws:resourceorgpaths')
        ? orgVariants(orgs, named.orgPaths.resource)
        : none;

    const arns = arnPatterns(named.principalArns);
    for (const account of accounts) {
      for (const arn of principalArnsFor(account, facts.partition, arns)) {
        for (const org of principalOrgs) {
          this.spend(16);
          this.principals.push({
            account,
            arn,
            orgId: org.orgId,
            orgPaths: org.paths,
            trusted: isTrusted(account, org.orgId),
            values: new Map<string, readonly string[] | undefined>([
              ['aws:principalaccount', [account]],
              ['aws:principalarn', [arn]],
              ['aws:principalisawsservice', ['false']],
              ['aws:principalorgid', org.orgId ? [org.orgId] : undefined],
              ['aws:principalorgpaths', org.paths],
            ]),
          });
        }
      }
    }
    for (const account of accounts) {
      // The names of patterns that can name this account, plus one the policy never names.
      const names = new Set(['witness-repository']);
      for (const [pattern, list] of named.repoNames) {
        if (pattern === account || hasWildcard(pattern) || pattern === '') for (const n of list) names.add(n);
      }
      for (const org of resourceOrgs) {
        for (const name of names) {
          this.spend(16);
          this.resources.push({
            arn: `arn:${facts.partition}:codecommit:${facts.region}:${account}:${name}`,
            account,
            trusted: isTrusted(account, org.orgId),
            values: new Map<string, readonly string[] | undefined>([
              ['aws:resourceaccount', [account]],
              ['aws:resourceorgid', org.orgId ? [org.orgId] : undefined],
              ['aws:resourceorgpaths', org.paths],
            ]),
          });
        }
      }
    }

    this.requestPart = this.statements.map((s) => this.conditionsOn(s, 'request'));
    this.resourcePart = this.resources.map((r) => {
      this.ctx.resource = r;
      return Uint8Array.from(this.statements, (s) =>
        resourceMatches(s, r.arn) ? this.conditionsOn(s, 'resource') : F,
      );
    });
  }

  private spend(steps: number): void {
    charge(steps);
  }

  /** The conditions of a statement on one side (principal, resource, or the request), AND-ed, in the current context. */
  private conditionsOn(s: Statement, side: Side): number {
    let result = T;
    for (const c of s.conditions) {
      if (sideOf(c.keyLower) !== side) continue;
      this.spend(1 + c.values.length);
      result = Math.min(result, TRI[evaluateCondition(c, this.ctx)]);
      if (result === F) return F;
    }
    return result;
  }

  private actionSignature(action: string): Uint8Array {
    let sig = this.actionPart.get(action);
    if (!sig) {
      this.spend(this.statements.length);
      sig = Uint8Array.from(this.statements, (s) => (actionMatches(s, action) ? T : F));
      this.actionPart.set(action, sig);
    }
    return sig;
  }

  private principalSignatures(tags: TagMode): Uint8Array[] {
    const key = tags === 'any' || tags === 'none' ? tags : [...tags].sort().join(',');
    let sigs = this.principalPart.get(key);
    if (!sigs) {
      this.ctx.tags = tags;
      sigs = this.principals.map((p) => {
        this.ctx.principal = p;
        return Uint8Array.from(this.statements, (s) =>
          principalMatches(s, p) ? this.conditionsOn(s, 'principal') : F,
        );
      });
      this.principalPart.set(key, sigs);
    }
    return sigs;
  }

  /** Witnesses alike for every statement are one: keep the first of each signature. */
  private static distinct<W>(witnesses: readonly W[], sigs: readonly Uint8Array[], keep: (w: W) => boolean) {
    const seen = new Map<string, { witness: W; sig: Uint8Array }>();
    witnesses.forEach((w, i) => {
      const sig = sigs[i] as Uint8Array;
      if (!keep(w)) return;
      const key = sig.join('');
      if (!seen.has(key)) seen.set(key, { witness: w, sig });
    });
    return [...seen.values()];
  }

  /** Actions alike for every statement are one (keeping the first, the most telling). */
  private actionClasses(actions: readonly string[]): { action: string; sig: Uint8Array }[] {
    const seen = new Map<string, { action: string; sig: Uint8Array }>();
    for (const action of actions) {
      const sig = this.actionSignature(action);
      const key = sig.join('');
      if (!seen.has(key)) seen.set(key, { action, sig });
    }
    return [...seen.values()];
  }

  /** The first request of the query that gets through (and that `accept` counts), or undefined. */
  find(query: Query): Hole | undefined {
    const n = this.statements.length;
    const actions = this.actionClasses(query.actions);
    const principals = Analysis.distinct(
      this.principals,
      this.principalSignatures(query.tags),
      query.principal ?? (() => true),
    );
    const resources = Analysis.distinct(this.resources, this.resourcePart, query.resource ?? (() => true));
    for (const a of actions) {
      for (const p of principals) {
        for (const r of resources) {
          this.spend(n);
          let denied = false;
          const allows: number[] = [];
          for (let i = 0; i < n; i++) {
            const v = Math.min(
              a.sig[i] as number,
              p.sig[i] as number,
              r.sig[i] as number,
              this.requestPart[i] as number,
            );
            if (v === F) continue;
            if ((this.statements[i] as Statement).effect === 'Deny') {
              if (v === T) {
                denied = true;
                break;
              }
            } else allows.push(i);
          }
          if (denied) continue;
          for (const i of allows) {
            const hole = this.explain(this.statements[i] as Statement, a.action, p.witness, r.witness, query.tags);
            if (!query.accept || query.accept(hole)) return hole;
          }
        }
      }
    }
    return undefined;
  }

  /** Which Denies the request escapes, through which condition, and which principal tags it depends on. */
  private explain(allow: Statement, action: string, p: PrincipalWitness, r: ResourceWitness, tags: TagMode): Hole {
    this.ctx.principal = p;
    this.ctx.resource = r;
    this.ctx.tags = tags;
    const tagKeys = new Set<string>();
    const noteTag = (c: Condition): void => {
      if (c.keyLower.startsWith(TAG_PREFIX)) tagKeys.add(c.key.slice(TAG_PREFIX.length));
    };
    for (const c of allow.conditions) if (evaluateCondition(c, this.ctx) === 'unknown') noteTag(c);
    const escapes: Escape[] = [];
    for (const deny of this.statements) {
      if (deny.effect !== 'Deny') continue;
      if (!actionMatches(deny, action) || !principalMatches(deny, p) || !resourceMatches(deny, r.arn)) continue;
      for (const c of deny.conditions) {
        const outcome = evaluateCondition(c, this.ctx);
        if (outcome === 'true') continue;
        escapes.push({ deny, condition: c, outcome });
        if (outcome === 'unknown') noteTag(c);
        break;
      }
    }
    return { statement: allow, action, principal: p, resourceAccount: r.account, escapes, tags: [...tagKeys].sort() };
  }

  perimeter(which: 'identity' | 'resource', accepted: ReadonlySet<string>): Perimeter {
    const relevant = actionsOf(this.facts.traffic);
    const outside =
      which === 'identity'
        ? { principal: (p: PrincipalWitness) => !p.trusted }
        : { resource: (r: ResourceWitness) => !r.trusted };
    const readOrWrite = (): boolean =>
      this.find({ ...outside, actions: relevant.filter(readsOrWritesRepositories), tags: 'any' }) !== undefined;

    const untagged = this.find({ ...outside, actions: relevant, tags: 'none' });
    if (untagged) return { state: 'open', hole: untagged, tags: [], readOrWrite: readOrWrite() };
    const tagged = this.find({ ...outside, actions: relevant, tags: 'any' });
    if (!tagged) return { state: 'closed', hole: undefined, tags: [], readOrWrite: false };
    // Anyone can tag their own principals: a tag-gated hole open to outsiders is a hole.
    const byOutsiders =
      which === 'identity'
        ? tagged
        : this.find({ ...outside, principal: (p) => !p.trusted, actions: relevant, tags: 'any' });
    if (byOutsiders) return { state: 'open', hole: byOutsiders, tags: byOutsiders.tags, readOrWrite: readOrWrite() };
    // Open only to your own principals carrying a tag: a documented exception, accepted when every tag it needs is.
    const unaccepted = this.find({
      ...outside,
      actions: relevant,
      tags: 'any',
      accept: (hole) => hole.tags.some((tag) => !accepted.has(tag.toLowerCase())),
    });
    if (unaccepted) return { state: 'exception', hole: unaccepted, tags: unaccepted.tags, readOrWrite: false };
    return { state: 'accepted', hole: tagged, tags: tagged.tags, readOrWrite: false };
  }

  crossing(): Hole | undefined {
    return this.find({
      actions: actionsOf(this.facts.traffic).filter(readsOrWritesRepositories),
      principal: (p) => !p.trusted,
      resource: (r) => !r.trusted,
      tags: 'any',
    });
  }

  push(): Hole | undefined {
    return this.facts.traffic === 'git' ? this.find({ actions: ['codecommit:GitPush'], tags: 'any' }) : undefined;
  }

  usable(): boolean {
    return this.find({ actions: actionsOf(this.facts.traffic), tags: 'any' }) !== undefined;
  }
}

/** Analyse a policy on one endpoint; throws PolicyTooComplexError beyond the budget of steps. */
export function analyzePolicy(
  policy: Policy,
  facts: EndpointFacts,
  trust: Trust,
  budget = DEFAULT_BUDGET,
): PolicyAnalysis {
  const meter = new Meter(budget);
  return metered(meter, () => {
    const analysis = new Analysis(policy, facts, trust);
    const accepted = new Set((trust.perimeterExceptionTags ?? []).map((tag) => tag.toLowerCase()));
    return {
      identity: analysis.perimeter('identity', accepted),
      resource: analysis.perimeter('resource', accepted),
      crossing: analysis.crossing(),
      push: analysis.push(),
      usable: analysis.usable(),
      perimeterOrgs: analysis.perimeterOrgs,
      steps: meter.used,
    };
  });
}

export { PolicyTooComplexError };
