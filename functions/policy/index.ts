/** Endpoint-policy analysis, computed once per distinct (policy, endpoint facts, trust). */
import { analyzePolicy, type EndpointFacts, type PolicyAnalysis, type Trust } from './analyze';
import { deadStatements, type DeadStatement } from './dead';
import { parsePolicy, type Policy } from './parse';

export type PolicyView =
  | { ok: true; policy: Policy; analysis: PolicyAnalysis; dead: DeadStatement[] }
  | { ok: false; error: string };

const MAX_CACHE = 5_000;
const cache = new Map<string, PolicyView>();

function cacheKey(text: string, facts: EndpointFacts, trust: Trust): string {
  // Endpoint and VPC ids matter only to policies that name them (aws:SourceVpce / aws:SourceVpc).
  const lower = text.toLowerCase();
  const vpce = lower.includes('sourcevpce') ? facts.endpointId : '';
  const vpc = lower.includes('sourcevpc') ? facts.vpcId : '';
  return JSON.stringify([text, facts.accountId, facts.region, facts.partition, facts.traffic, vpce, vpc, trust.trustedAccounts, trust.trustedOrgIds]);
}

export function viewPolicy(document: unknown, facts: EndpointFacts, trust: Trust): PolicyView {
  const text = document === undefined || document === null ? '' : typeof document === 'string' ? document : JSON.stringify(document);
  const key = cacheKey(text, facts, trust);
  const cached = cache.get(key);
  if (cached) return cached;
  const parsed = parsePolicy(document);
  const view: PolicyView = parsed.ok
    ? { ok: true, policy: parsed.policy, analysis: analyzePolicy(parsed.policy, facts, trust), dead: deadStatements(parsed.policy, facts) }
    : parsed;
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, view);
  return view;
}

export { parsePolicy, statementLabel, DEFAULT_POLICY_TEXT } from './parse';
export type { Policy, Statement } from './parse';
export { analyzePolicy, actionsOf, type EndpointFacts, type Hole, type PolicyAnalysis, type Trust } from './analyze';
export { deadStatements, deadResource, closestAction, type DeadStatement } from './dead';
