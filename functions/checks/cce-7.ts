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

export const cce7: EndpointCheck = {
  id: 'CCE.7',
  title: 'Endpoint policy has no resource perimeter',
  severity: 'MEDIUM',
  severityNote: 'HIGH with CCE.6, else MEDIUM',
  failsWhen: 'the policy lets requests reach repositories outside your accounts and organizations',
  findingTypes: [FINDING_TYPES.exfiltration],
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'Requests through the endpoint can reach repositories in accounts you do not own: code can be copied out of your network to a personal repository.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.dataPerimeter,
  evaluate(endpoint, scope) {
    const view = policyOf(endpoint, scope);
    if (!view.ok) return verdict('ERROR', invalidPolicyMessage(endpoint, view.error));
    const hole = view.analysis.resourceHole;
    if (!hole)
      return verdict(
        'PASSED',
        `The policy of endpoint ${endpoint.id} lets requests reach only repositories of ${trustedSet(scope)} or of the organizations its perimeter names.`,
      );
    const severity = view.analysis.identityHole ? 'HIGH' : 'MEDIUM';
    const both = view.analysis.identityHole
      ? ' Both perimeters are open: outside credentials can copy your code out.'
      : '';
    return verdict(
      'FAILED',
      `${capitalize(holeSource(view, hole))} lets requests (e.g. ${hole.action}) reach repositories outside ${trustedSet(scope)}.${both}`,
      { severity },
    );
  },
  remediation(endpoint, scope) {
    return `Give the endpoint a policy that names only your repositories (Resource ARNs of your accounts or aws:ResourceOrgID): ${modifyPolicyCommand(endpoint, scope, perimeterPolicy(endpoint, scope))}`;
  },
};
