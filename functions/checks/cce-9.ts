import { serviceName } from '../core/regions';
import type { CodeCommitEndpoint, Scope } from '../core/scope';
import type { DeadStatement, EndpointFacts, PolicyView } from '../policy/index';
import { deadResource } from '../policy/index';
import { statementLabel } from '../policy/parse';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS } from './common';
import { factsOf, invalidPolicyMessage, modifyPolicyCommand, policyOf } from './policy-common';
import { verdict, type EndpointCheck } from '../core/check';

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

function fixResource(pattern: string, facts: EndpointFacts): string {
  if (deadResource(pattern, facts) === undefined) return pattern;
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !/^(\d{12}|[*?]+)$/.test(parts[4] ?? ''))
    return `arn:${facts.partition}:codecommit:${facts.region}:${facts.accountId}:*`;
  return ['arn', facts.partition, 'codecommit', facts.region, ...parts.slice(4)].join(':');
}

/** The statement rewritten to apply here: resources in this partition/region, typos fixed; undefined if it belongs on the other endpoint kind. */
function corrected(dead: DeadStatement, facts: EndpointFacts): Record<string, unknown> | undefined {
  const raw = { ...dead.statement.raw };
  const misplaced = dead.reasons.some((r) => r.kind === 'other-endpoint-kind');
  if (misplaced && dead.whole) return undefined;
  for (const element of ['Action', 'NotAction'] as const) {
    if (raw[element] === undefined) continue;
    const fixed = list(raw[element]).flatMap((pattern) =>
      dead.typos.has(pattern) ? (dead.typos.get(pattern) ?? []) : [pattern],
    );
    raw[element] = fixed.length === 1 ? fixed[0] : fixed;
  }
  if (raw.Resource !== undefined) {
    const fixed = list(raw.Resource).map((pattern) => fixResource(pattern, facts));
    raw.Resource = fixed.length === 1 ? fixed[0] : fixed;
  }
  return raw;
}

function remediationText(endpoint: CodeCommitEndpoint, scope: Scope): string {
  const view = policyOf(endpoint, scope);
  if (!view.ok || view.dead.length === 0) return 'No action needed.';
  // The correction depends on the view (one per distinct policy and endpoint facts), not on the endpoint id.
  const { policy, moved } = scope.memo.get('cce-9-correction', view, () => correct(view, factsOf(endpoint, scope)));
  const parts: string[] = [];
  if (policy) parts.push(`Correct the policy of ${endpoint.id}: ${modifyPolicyCommand(endpoint, scope, policy)}.`);
  if (moved) {
    const target =
      factsOf(endpoint, scope).traffic === 'api'
        ? serviceName(scope.region, 'git-codecommit')
        : serviceName(scope.region, 'codecommit');
    parts.push(
      `Put ${moved} on the ${target} endpoint(s) of VPC ${endpoint.vpcId} instead, where those actions travel.`,
    );
  }
  return parts.join(' ');
}

function correct(
  view: Extract<PolicyView, { ok: true }>,
  facts: EndpointFacts,
): { policy: string | undefined; moved: string | undefined } {
  const deadByIndex = new Map(view.dead.map((d) => [d.statement.index, d]));
  const moved: Record<string, unknown>[] = [];
  const statements = view.policy.statements.flatMap((s) => {
    const dead = deadByIndex.get(s.index);
    if (!dead) return [s.raw];
    const fixed = corrected(dead, facts);
    if (fixed) return [fixed];
    const other = { ...s.raw };
    if (other.Resource !== undefined) other.Resource = list(other.Resource).map((p) => fixResource(p, facts));
    moved.push(other);
    return [];
  });
  return {
    policy: statements.length > 0 ? JSON.stringify({ Version: '2012-10-17', Statement: statements }) : undefined,
    moved: moved.length > 0 ? JSON.stringify(moved) : undefined,
  };
}

export const cce9: EndpointCheck = {
  id: 'CCE.9',
  title: 'Endpoint policy has statements that can never apply',
  severity: 'LOW',
  severityNote: 'MEDIUM for a Deny, else LOW',
  failsWhen:
    'wrong partition/region/service or malformed ARNs, non-existent actions, Git actions on an API endpoint (or the reverse)',
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'A statement that never applies gives false assurance: a Deny that never matches protects nothing, an Allow that never matches hides a broken intent.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpointPolicy,
  evaluate(endpoint, scope) {
    const view = policyOf(endpoint, scope);
    if (!view.ok) return verdict('ERROR', invalidPolicyMessage(endpoint, view.error));
    const [first, ...rest] = view.dead;
    if (!first) {
      return verdict(
        'PASSED',
        view.policy.isDefault
          ? `Endpoint ${endpoint.id} has no policy of its own (AWS's default applies).`
          : `Every statement of the policy of endpoint ${endpoint.id} can apply.`,
      );
    }
    const severity = view.dead.some((d) => d.statement.effect === 'Deny') ? 'MEDIUM' : 'LOW';
    const scopeWord = first.whole ? 'never applies' : 'has parts that never apply';
    const more = rest.length > 0 ? ` (and ${rest.length} more statement${rest.length > 1 ? 's' : ''})` : '';
    return verdict(
      'FAILED',
      `${statementLabel(first.statement)} (${first.statement.effect}) ${scopeWord}: ${first.reasons.map((r) => r.text).join('; ')}${more}.`,
      { severity },
    );
  },
  remediation: remediationText,
};
