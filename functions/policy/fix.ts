/**
 * Corrected policies as minimal edits of the policy as written: add one Deny statement, or
 * remove dead statements and misspelt actions; every other statement and field is kept as is.
 * Pure: the checks prove each correction by analysing it again before they offer it.
 */
import type { EndpointFacts, Trust } from './analyze';
import type { DeadStatement } from './dead';
import type { Policy } from './parse';

type Json = Record<string, unknown>;

/** One value as itself, several as an array (as people write policies). */
function one<T>(values: readonly T[]): T | T[] {
  return values.length === 1 ? (values[0] as T) : [...values];
}

/** The policy with these statements, every other field kept (a policy written for AWS's default gets a Version). */
function withStatements(policy: Policy, statements: Json[]): string {
  const base = policy.isDefault ? { Version: '2012-10-17' } : policy.document;
  return JSON.stringify({ ...base, Statement: statements });
}

function statementsOf(policy: Policy): Json[] {
  return policy.statements.map((s) => s.raw);
}

/** A Sid not yet used in the policy. */
function freeSid(policy: Policy, base: string): string {
  const taken = new Set(policy.statements.map((s) => s.sid));
  let sid = base;
  for (let n = 2; taken.has(sid); n++) sid = `${base}${n}`;
  return sid;
}

function trustedSets(facts: EndpointFacts, trust: Trust, perimeterOrgs: readonly string[]) {
  const orgs = trust.trustedOrgIds.length > 0 ? trust.trustedOrgIds : perimeterOrgs;
  return { orgs, accounts: [facts.accountId, ...trust.trustedAccounts] };
}

/** A Deny of everything when the org / account condition keys name none of yours (AWS's data-perimeter pattern). */
function withPerimeterDeny(
  policy: Policy,
  facts: EndpointFacts,
  trust: Trust,
  perimeterOrgs: readonly string[],
  perimeter: { sid: string; orgKey: string; accountKey: string; extra?: Json },
): string {
  const { orgs, accounts } = trustedSets(facts, trust, perimeterOrgs);
  const outside: Json = orgs.length > 0 ? { [perimeter.orgKey]: one(orgs) } : {};
  outside[perimeter.accountKey] = one(accounts);
  const statement = {
    Sid: freeSid(policy, perimeter.sid),
    Effect: 'Deny',
    Principal: '*',
    Action: '*',
    Resource: '*',
    Condition: { StringNotEqualsIfExists: outside, ...perimeter.extra },
  };
  return withStatements(policy, [...statementsOf(policy), statement]);
}

/** AWS's identity-perimeter Deny: principals outside your organizations and accounts, AWS services excepted. */
export function withIdentityPerimeter(
  policy: Policy,
  facts: EndpointFacts,
  trust: Trust,
  perimeterOrgs: readonly string[],
): string {
  return withPerimeterDeny(policy, facts, trust, perimeterOrgs, {
    sid: 'EnforceIdentityPerimeter',
    orgKey: 'aws:PrincipalOrgID',
    accountKey: 'aws:PrincipalAccount',
    extra: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
  });
}

/** The resource-perimeter Deny: repositories outside your organizations and accounts. */
export function withResourcePerimeter(
  policy: Policy,
  facts: EndpointFacts,
  trust: Trust,
  perimeterOrgs: readonly string[],
): string {
  return withPerimeterDeny(policy, facts, trust, perimeterOrgs, {
    sid: 'EnforceResourcePerimeter',
    orgKey: 'aws:ResourceOrgID',
    accountKey: 'aws:ResourceAccount',
  });
}

/** A Deny of codecommit:GitPush, so pushes go through the FIPS endpoint (the seed's scenario). */
export function withoutPushes(policy: Policy): string {
  const statement = {
    Sid: freeSid(policy, 'DenyPushOutsideFips'),
    Effect: 'Deny',
    Principal: '*',
    Action: 'codecommit:GitPush',
    Resource: '*',
  };
  return withStatements(policy, [...statementsOf(policy), statement]);
}

/** The policy without its dead statements and without misspelt actions; undefined if nothing would be left. */
export function withoutDead(policy: Policy, dead: readonly DeadStatement[]): string | undefined {
  const byIndex = new Map(dead.map((d) => [d.statement.index, d]));
  const kept = policy.statements.flatMap((s): Json[] => {
    const d = byIndex.get(s.index);
    if (!d) return [s.raw];
    if (d.whole) return [];
    const raw: Json = { ...s.raw };
    for (const element of ['Action', 'NotAction'] as const) {
      const misspelt = new Set(d.typos.filter((t) => t.element === element).map((t) => t.pattern));
      if (misspelt.size === 0) continue;
      const left = (Array.isArray(raw[element]) ? (raw[element] as unknown[]) : [raw[element]]).filter(
        (pattern) => !misspelt.has(pattern as string),
      );
      if (left.length > 0) raw[element] = one(left);
      else if (element === 'NotAction') {
        // Excluding only a misspelt action excludes nothing: the statement covers every action.
        delete raw.NotAction;
        raw.Action = '*';
      } else return [];
    }
    return [raw];
  });
  return kept.length > 0 ? withStatements(policy, kept) : undefined;
}
