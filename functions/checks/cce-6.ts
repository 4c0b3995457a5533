import { BASE_NEEDS, BASE_PERMISSIONS, DOCS, FINDING_TYPES } from './common';
import {
  capitalize,
  holeSource,
  invalidPolicyMessage,
  modifyPolicyCommand,
  perimeterPolicy,
  policyOf,
  trustedSet,
} from './policy-common';
import { verdict, type EndpointCheck } from '../core/check';

export const cce6: EndpointCheck = {
  id: 'CCE.6',
  title: 'Endpoint policy has no identity perimeter',
  severity: 'MEDIUM',
  severityNote: 'HIGH with CCE.7, else MEDIUM',
  failsWhen: 'the policy lets a principal outside your accounts and organizations through',
  findingTypes: [FINDING_TYPES.exfiltration],
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'Credentials from outside your accounts and organization can use your network path to CodeCommit; with CCE.7 also open, they can push your code to their own repositories.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.dataPerimeter,
  evaluate(endpoint, scope) {
    const view = policyOf(endpoint, scope);
    if (!view.ok) return verdict('ERROR', invalidPolicyMessage(endpoint, view.error));
    const hole = view.analysis.identityHole;
    if (!hole)
      return verdict(
        'PASSED',
        `The policy of endpoint ${endpoint.id} admits only principals of ${trustedSet(scope)} or of the organizations its perimeter names.`,
      );
    const severity = view.analysis.resourceHole ? 'HIGH' : 'MEDIUM';
    return verdict(
      'FAILED',
      `${capitalize(holeSource(view, hole))} lets principals outside ${trustedSet(scope)} make CodeCommit requests (e.g. ${hole.action}) through this endpoint.`,
      { severity },
    );
  },
  remediation(endpoint, scope) {
    return `Give the endpoint a policy that admits only your principals (aws:PrincipalOrgID or aws:PrincipalAccount): ${modifyPolicyCommand(endpoint, scope, perimeterPolicy(endpoint, scope))}`;
  },
};
