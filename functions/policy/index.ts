/** Endpoint-policy analysis: parse, what the policy allows as a whole, and what of it never applies. */
import { analyzePolicy, type EndpointFacts, type PolicyAnalysis, type Trust } from './analyze';
import { deadStatements, type DeadStatement } from './dead';
import { parsePolicy, type Policy } from './parse';

export type PolicyView =
  { ok: true; policy: Policy; analysis: PolicyAnalysis; dead: DeadStatement[] } | { ok: false; error: string };

/** Everything the policy checks need to know about one policy on one endpoint. Pure: callers memoize. */
export function viewPolicy(document: unknown, facts: EndpointFacts, trust: Trust): PolicyView {
  const parsed = parsePolicy(document);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    policy: parsed.policy,
    analysis: analyzePolicy(parsed.policy, facts, trust),
    dead: deadStatements(parsed.policy, facts),
  };
}

/**
 * What a policy's meaning depends on besides its text: the endpoint's account, region and
 * traffic and the trust parameters, and the endpoint and VPC ids when the policy names
 * aws:SourceVpc or aws:SourceVpce. Endpoints with the same text and key share one view.
 */
export function viewKey(text: string, facts: EndpointFacts, trust: Trust): string {
  const ids = /sourcevpc/i.test(text) ? `|${facts.endpointId}|${facts.vpcId}` : '';
  return `${facts.accountId}|${facts.region}|${facts.traffic}|${trust.trustedAccounts.join(',')}|${trust.trustedOrgIds.join(',')}${ids}|${text}`;
}

export { parsePolicy, statementLabel, DEFAULT_POLICY_TEXT } from './parse';
export type { Policy, Statement } from './parse';
export { analyzePolicy, actionsOf, type EndpointFacts, type Hole, type PolicyAnalysis, type Trust } from './analyze';
export { deadStatements, deadResource, closestAction, type DeadStatement, type DeadReason } from './dead';
