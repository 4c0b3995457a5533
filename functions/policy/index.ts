/** Endpoint-policy analysis, computed once per distinct (policy, endpoint facts, trust). */
import { analyzePolicy, type EndpointFacts, type PolicyAnalysis, type Trust } from './analyze';
import { deadStatements, type DeadStatement } from './dead';
import { parsePolicy, type Policy } from './parse';

export type PolicyView =
  { ok: true; policy: Policy; analysis: PolicyAnalysis; dead: DeadStatement[] } | { ok: false; error: string };

const MAX_TEXTS = 5_000;

interface TextEntry {
  /** The policy names aws:SourceVpc or aws:SourceVpce, so endpoint and VPC ids are part of its meaning. */
  idSensitive: boolean;
  views: Map<string, PolicyView>;
}

// Policy text → (endpoint facts → view). The text is the input's own string, so a lookup allocates
// only a short facts key; endpoints that share a policy share one analysis.
const cache = new Map<string, TextEntry>();

export function viewPolicy(document: unknown, facts: EndpointFacts, trust: Trust): PolicyView {
  const text =
    document === undefined || document === null
      ? ''
      : typeof document === 'string'
        ? document
        : JSON.stringify(document);
  let entry = cache.get(text);
  if (!entry) {
    if (cache.size >= MAX_TEXTS) cache.clear();
    cache.set(text, (entry = { idSensitive: /sourcevpc/i.test(text), views: new Map() }));
  }
  const ids = entry.idSensitive ? `|${facts.endpointId}|${facts.vpcId}` : '';
  const key = `${facts.accountId}|${facts.region}|${facts.traffic}|${trust.trustedAccounts.join(',')}|${trust.trustedOrgIds.join(',')}${ids}`;
  let view = entry.views.get(key);
  if (!view) {
    const parsed = parsePolicy(document);
    view = parsed.ok
      ? {
          ok: true,
          policy: parsed.policy,
          analysis: analyzePolicy(parsed.policy, facts, trust),
          dead: deadStatements(parsed.policy, facts),
        }
      : parsed;
    entry.views.set(key, view);
  }
  return view;
}

export { parsePolicy, statementLabel, DEFAULT_POLICY_TEXT } from './parse';
export type { Policy, Statement } from './parse';
export { analyzePolicy, actionsOf, type EndpointFacts, type Hole, type PolicyAnalysis, type Trust } from './analyze';
export { deadStatements, deadResource, closestAction, type DeadStatement } from './dead';
