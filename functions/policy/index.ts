/** Endpoint-policy analysis: parse, what the policy allows as a whole, what of it never applies. */
import { analyzePolicy, PolicyTooComplexError, type EndpointFacts, type PolicyAnalysis, type Trust } from './analyze';
import { deadStatements, type DeadStatement } from './dead';
import { parsePolicy, type Policy } from './parse';

export type PolicyView =
  | { ok: true; policy: Policy; analysis: PolicyAnalysis; dead: DeadStatement[] }
  | { ok: false; kind: 'invalid' | 'too-complex'; error: string };

/**
 * Everything the policy checks need to know about one policy on one endpoint. Pure: callers
 * memoize. `shared`: the same policy is on an endpoint of the other kind (Git vs API) too.
 */
export function viewPolicy(document: unknown, facts: EndpointFacts, trust: Trust, shared = false): PolicyView {
  const parsed = parsePolicy(document);
  if (!parsed.ok) return { ok: false, kind: 'invalid', error: parsed.error };
  try {
    return {
      ok: true,
      policy: parsed.policy,
      analysis: analyzePolicy(parsed.policy, facts, trust),
      dead: deadStatements(parsed.policy, facts, shared),
    };
  } catch (error) {
    if (error instanceof PolicyTooComplexError) return { ok: false, kind: 'too-complex', error: error.message };
    throw error;
  }
}

/**
 * What a policy's meaning depends on besides its text: the endpoint's account, region and
 * traffic, the trust parameters, and the endpoint and VPC ids when the policy names
 * aws:SourceVpc or aws:SourceVpce. Endpoints with the same text and key share one view.
 */
export function viewKey(text: string, facts: EndpointFacts, trust: Trust, shared = false): string {
  const ids = /sourcevpc/i.test(text) ? `|${facts.endpointId}|${facts.vpcId}` : '';
  const trusted = [trust.trustedAccounts, trust.trustedOrgIds, trust.perimeterExceptionTags ?? []].map((list) =>
    list.join(','),
  );
  return `${facts.accountId}|${facts.region}|${facts.traffic}|${shared}|${trusted.join('|')}${ids}|${text}`;
}

export { parsePolicy, statementLabel, DEFAULT_POLICY_TEXT } from './parse';
export type { Condition, Policy, Statement } from './parse';
export {
  analyzePolicy,
  actionsOf,
  readsOrWritesRepositories,
  type EndpointFacts,
  type Escape,
  type Hole,
  type Perimeter,
  type PolicyAnalysis,
  type Trust,
} from './analyze';
export { deadStatements, deadResource, closestAction, type DeadStatement, type DeadReason, type Typo } from './dead';
export { withIdentityPerimeter, withoutDead, withoutPushes, withResourcePerimeter } from './fix';
