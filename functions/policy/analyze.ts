/**
 * What an endpoint policy allows, judged as a whole (DESIGN section 2, CCE.6–CCE.8).
 *
 * The question "can some request of this kind get through?" is answered over a finite set
 * of witness requests built from every account, organization, ARN and repository name the
 * policy mentions, plus fresh ones it does not: a policy treats all unmentioned values
 * alike, so these witnesses cover every case. Explicit Deny wins. Condition keys the tool
 * cannot know (aws:SourceIp, tags, ...) are left to the requester: an Allow conditioned on
 * them may apply, a Deny conditioned on them may be avoided.
 */
import type { Partition, Traffic } from '../core/regions';
import { CODECOMMIT_ACTIONS } from './codecommit-actions';
import {
  actionMatches,
  evaluateConditions,
  fillWildcards,
  hasWildcard,
  principalMatches,
  resourceMatches,
  type Context,
  type RequestPrincipal,
} from './match';
import type { Policy, Statement } from './parse';

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
}

export interface Hole {
  statement: Statement;
  action: string;
  principal: RequestPrincipal;
  resourceAccount: string;
}

export interface PolicyAnalysis {
  /** An untrusted principal can make some CodeCommit request through the endpoint. */
  identityHole: Hole | undefined;
  /** Some CodeCommit request can reach a repository outside the trusted set. */
  resourceHole: Hole | undefined;
  /** Someone can push (codecommit:GitPush) through the endpoint. */
  pushHole: Hole | undefined;
}

interface RequestResource {
  arn: string;
  account: string;
  orgId: string | undefined;
  orgPaths: string[] | undefined;
  accountValues: readonly string[];
  orgValues: readonly string[] | undefined;
}

interface Witness extends RequestPrincipal {
  accountValues: readonly string[];
  arnValues: readonly string[];
  orgValues: readonly string[] | undefined;
}

// Pushes first, then common API actions: the first action a hole admits is the example a message names.
export const GIT_ACTIONS: readonly string[] = ['codecommit:GitPush', 'codecommit:GitPull'];
const TELLING_API_ACTIONS = ['CreateRepository', 'PutFile', 'GetRepository', 'ListRepositories', 'DeleteRepository'];
export const API_ACTIONS: readonly string[] = [
  ...TELLING_API_ACTIONS.filter((name) => CODECOMMIT_ACTIONS.includes(name)),
  ...CODECOMMIT_ACTIONS.filter((name) => !name.startsWith('Git') && !TELLING_API_ACTIONS.includes(name)),
].map((name) => `codecommit:${name}`);

const PUSH: readonly string[] = ['codecommit:GitPush'];

export function actionsOf(traffic: Traffic): readonly string[] {
  return traffic === 'git' ? GIT_ACTIONS : API_ACTIONS;
}

const ACCOUNT_RE = /(?<!\d)\d{12}(?!\d)/g;
const ORG_RE = /o-[a-z0-9]{10,32}/gi;
const ORG_KEYS = new Set(['aws:principalorgid', 'aws:principalorgpaths', 'aws:resourceorgid', 'aws:resourceorgpaths']);

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
  const principalArns: string[] = [];
  const repoNames = new Set<string>(['witness-repository']);
  for (const s of policy.statements) {
    for (const entry of s.principals.entries) {
      if (entry.kind === 'account' || entry.kind === 'arn') accounts.add(entry.account);
      if (entry.kind === 'arn') principalArns.push(entry.arn);
    }
    for (const pattern of s.resources.patterns) {
      for (const match of pattern.matchAll(ACCOUNT_RE)) accounts.add(match[0]);
      const name = pattern.split(':').slice(5).join(':');
      if (name) repoNames.add(fillWildcards(name, 'w'));
    }
    for (const c of s.conditions) {
      const key = c.keyLower;
      for (const value of c.values) {
        for (const match of value.matchAll(ACCOUNT_RE)) accounts.add(match[0]);
        if (ORG_KEYS.has(key)) for (const match of value.matchAll(ORG_RE)) orgs.add(match[0].toLowerCase());
        if (key === 'aws:principalarn') principalArns.push(value);
        if (key === 'aws:principalorgpaths') orgPaths.principal.push(fillWildcards(value, 'w'));
        if (key === 'aws:resourceorgpaths') orgPaths.resource.push(fillWildcards(value, 'w'));
      }
    }
  }
  return { accounts, orgs, orgPaths, principalArns, repoNames };
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

/** Principal ARNs for an account: a generic role plus every named ARN that fits the account. */
function principalArnsFor(account: string, partition: Partition, patterns: readonly string[]): string[] {
  const arns = new Set([`arn:${partition}:iam::${account}:role/witness-role`]);
  for (const pattern of patterns) {
    const parts = pattern.split(':');
    if (parts.length < 6) continue;
    const segment = parts[4] ?? '';
    if (segment === account || (hasWildcard(segment) && /^[0-9*?]*$/.test(segment))) {
      parts[4] = account;
      arns.add(fillWildcards(parts.join(':'), 'w'));
    }
  }
  return [...arns];
}

/**
 * The context of a witness request, read straight from the principal, resource and endpoint.
 * One instance per analysis is pointed at each request in turn, so evaluating allocates nothing.
 */
class RequestContext implements Context {
  principal!: Witness;
  resource!: RequestResource;
  private readonly notService: readonly string[] = ['false'];
  private readonly vpc: readonly string[];
  private readonly vpce: readonly string[];

  constructor(facts: EndpointFacts) {
    this.vpc = [facts.vpcId];
    this.vpce = [facts.endpointId];
  }

  get(key: string): readonly string[] | undefined {
    switch (key) {
      case 'aws:principalaccount':
        return this.principal.accountValues;
      case 'aws:principalarn':
        return this.principal.arnValues;
      case 'aws:principalisawsservice':
        return this.notService;
      case 'aws:principalorgid':
        return this.principal.orgValues;
      case 'aws:principalorgpaths':
        return this.principal.orgPaths;
      case 'aws:resourceaccount':
        return this.resource.accountValues;
      case 'aws:resourceorgid':
        return this.resource.orgValues;
      case 'aws:resourceorgpaths':
        return this.resource.orgPaths;
      case 'aws:sourcevpc':
        return this.vpc;
      case 'aws:sourcevpce':
        return this.vpce;
      default:
        return undefined;
    }
  }
}

const NO_ORG: OrgVariant = { orgId: undefined, paths: undefined };

function conditionKeys(policy: Policy): Set<string> {
  return new Set(policy.statements.flatMap((s) => s.conditions.map((c) => c.keyLower)));
}

/** The Allow statement that lets the request through, or undefined (no Allow, or a Deny applies). */
function allowingStatement(
  policy: Policy,
  action: string,
  principal: RequestPrincipal,
  resource: RequestResource,
  ctx: Context,
): Statement | undefined {
  let allow: Statement | undefined;
  for (const s of policy.statements) {
    if (!actionMatches(s, action) || !principalMatches(s, principal) || !resourceMatches(s, resource.arn)) continue;
    const conditions = evaluateConditions(s, ctx);
    if (s.effect === 'Deny') {
      if (conditions === 'true') return undefined;
    } else if (conditions !== 'false') {
      allow ??= s;
    }
  }
  return allow;
}

/** Actions grouped by which statements' Action/NotAction they match: one representative each. */
function actionClasses(policy: Policy, actions: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const statements = policy.statements;
  for (const action of actions) {
    // A bit per statement, in 30-bit words so any number of statements fits.
    let signature = '';
    for (let start = 0; start < statements.length; start += 30) {
      let bits = 0;
      for (let i = start; i < Math.min(start + 30, statements.length); i++)
        if (actionMatches(statements[i] as Statement, action)) bits |= 1 << (i - start);
      signature += `${bits},`;
    }
    if (!seen.has(signature)) seen.set(signature, action);
  }
  return [...seen.values()];
}

export function analyzePolicy(policy: Policy, facts: EndpointFacts, trust: Trust): PolicyAnalysis {
  const named = mentions(policy);
  const trustedAccounts = new Set([facts.accountId, ...trust.trustedAccounts]);
  // With no trusted organizations configured, any organization the policy's perimeter names is taken as yours.
  const trustedOrgs = new Set(trust.trustedOrgIds.length > 0 ? trust.trustedOrgIds : named.orgs);
  const fresh = freshAccount(new Set([...named.accounts, ...trustedAccounts]));
  const freshOrg = 'o-witness00untrusted';
  const accounts = [...new Set([...trustedAccounts, ...named.accounts, fresh])];
  const orgs = [...new Set([...named.orgs, ...trustedOrgs, freshOrg])];

  const isTrusted = (account: string, orgId: string | undefined): boolean =>
    trustedAccounts.has(account) || (orgId !== undefined && trustedOrgs.has(orgId));

  // Organization variants matter only to a policy that conditions on organizations; without such
  // conditions "no organization" is the one variant that can tell (it is the least trusted).
  const keys = conditionKeys(policy);
  const principalOrgs =
    keys.has('aws:principalorgid') || keys.has('aws:principalorgpaths')
      ? orgVariants(orgs, named.orgPaths.principal)
      : [NO_ORG];
  const resourceOrgs =
    keys.has('aws:resourceorgid') || keys.has('aws:resourceorgpaths')
      ? orgVariants(orgs, named.orgPaths.resource)
      : [NO_ORG];

  const principals: Witness[] = [];
  for (const account of accounts) {
    const accountValues = [account];
    for (const arn of principalArnsFor(account, facts.partition, named.principalArns)) {
      const arnValues = [arn];
      for (const org of principalOrgs) {
        principals.push({
          account,
          arn,
          orgId: org.orgId,
          orgPaths: org.paths,
          accountValues,
          arnValues,
          orgValues: org.orgId ? [org.orgId] : undefined,
        });
      }
    }
  }
  const resources: RequestResource[] = [];
  for (const account of accounts) {
    const accountValues = [account];
    for (const org of resourceOrgs) {
      for (const name of named.repoNames) {
        resources.push({
          arn: `arn:${facts.partition}:codecommit:${facts.region}:${account}:${name}`,
          account,
          orgId: org.orgId,
          orgPaths: org.paths,
          accountValues,
          orgValues: org.orgId ? [org.orgId] : undefined,
        });
      }
    }
  }
  const request = new RequestContext(facts);

  const classes = new Map<readonly string[], string[]>();
  const classesOf = (actions: readonly string[]): string[] => {
    let list = classes.get(actions);
    if (!list) classes.set(actions, (list = actionClasses(policy, actions)));
    return list;
  };

  const find = (
    actions: readonly string[],
    principalFilter: (p: RequestPrincipal) => boolean,
    resourceFilter: (r: RequestResource) => boolean,
  ): Hole | undefined => {
    for (const action of classesOf(actions)) {
      for (const principal of principals) {
        if (!principalFilter(principal)) continue;
        request.principal = principal;
        for (const resource of resources) {
          if (!resourceFilter(resource)) continue;
          request.resource = resource;
          const statement = allowingStatement(policy, action, principal, resource, request);
          if (statement) return { statement, action, principal, resourceAccount: resource.account };
        }
      }
    }
    return undefined;
  };

  const relevant = actionsOf(facts.traffic);
  return {
    identityHole: find(
      relevant,
      (p) => !isTrusted(p.account, p.orgId),
      () => true,
    ),
    resourceHole: find(
      relevant,
      () => true,
      (r) => !isTrusted(r.account, r.orgId),
    ),
    pushHole:
      facts.traffic === 'git'
        ? find(
            PUSH,
            () => true,
            () => true,
          )
        : undefined,
  };
}
