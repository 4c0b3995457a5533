import { statementLabel, withoutDead, type DeadStatement } from '../policy/index';
import { serviceName } from '../core/regions';
import type { EndpointCheck } from '../core/check';
import type { CodeCommitEndpoint, Scope } from '../core/scope';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS } from './common';
import { policyOf } from './policy-common';
import { judgeDead, withFix } from './policy-verdicts';

/** What the fix removes, in words, and where misplaced statements belong. */
function removals(dead: readonly DeadStatement[], endpoint: CodeCommitEndpoint, scope: Scope): string {
  const parts = dead.map((d) => {
    if (d.whole) return statementLabel(d.statement);
    const typos = d.typos.map((t) => `${t.pattern}${t.suggestion ? ` (did you mean ${t.suggestion}?)` : ''}`);
    return `the misspelt ${typos.join(', ')} in ${statementLabel(d.statement)}`;
  });
  const misplaced = dead.filter((d) => d.whole && d.reasons.some((r) => r.kind === 'other-endpoint-kind'));
  const other = endpoint.kind.startsWith('git')
    ? serviceName(scope.region, 'codecommit')
    : serviceName(scope.region, 'git-codecommit');
  const move =
    misplaced.length > 0
      ? ` If ${misplaced.map((d) => statementLabel(d.statement)).join(', ')} should apply, put it on the ${other} endpoint(s) of VPC ${endpoint.vpcId}, where those actions travel.`
      : '';
  return `Remove what never applies here (${parts.join('; ')}), keeping every other statement.${move}`;
}

export const cce9: EndpointCheck = {
  id: 'CCE.9',
  title: 'Endpoint policy has statements that can never apply',
  severity: 'LOW',
  severityNote: 'MEDIUM when a Deny (or a misspelt action in one) never applies, else LOW',
  failsWhen:
    'a whole statement never applies here (actions of the other endpoint kind or another service; resources of another partition, region or service, or malformed; a condition that never holds), or an action names no real CodeCommit action',
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'A statement that never applies gives false assurance: a Deny that never matches protects nothing, an Allow that never matches hides a broken intent.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpointPolicy,
  evaluate(endpoint, scope) {
    const result = judgeDead(endpoint, scope);
    const view = policyOf(endpoint, scope);
    if (!view.ok || view.dead.length === 0) return result;
    const candidate = withoutDead(view.policy, view.dead);
    const words =
      candidate === undefined
        ? "No statement of this policy ever applies here: replace it with one that allows what this endpoint should carry (for example AWS's data-perimeter endpoint policy)."
        : removals(view.dead, endpoint, scope);
    return withFix(result, endpoint, scope, judgeDead, candidate, {
      proven: (command) => `${words} ${command}`,
      otherwise: `${words} Then scan again.`,
    });
  },
};
