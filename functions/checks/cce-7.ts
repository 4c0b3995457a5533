import { withResourcePerimeter } from '../policy/index';
import type { EndpointCheck } from '../core/check';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS, FINDING_TYPES } from './common';
import { factsOf, policyOf, trustedSet } from './policy-common';
import { judgeResource, withFix } from './policy-verdicts';

export const cce7: EndpointCheck = {
  id: 'CCE.7',
  title: 'Endpoint policy has no resource perimeter',
  severity: 'MEDIUM',
  severityNote:
    'HIGH when Read/Write actions cross both perimeters, LOW for List-only holes and tagged exceptions, else MEDIUM',
  failsWhen: 'the policy lets requests reach repositories outside your accounts and organizations',
  findingTypes: [FINDING_TYPES.exfiltration],
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'Requests through the endpoint can reach repositories in accounts you do not own: code can be copied out of your network to a personal repository.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.dataPerimeter,
  evaluate(endpoint, scope) {
    const result = judgeResource(endpoint, scope);
    const view = policyOf(endpoint, scope);
    if (!view.ok) return result;
    const candidate = withResourcePerimeter(
      view.policy,
      factsOf(endpoint, scope),
      scope.params,
      view.analysis.perimeterOrgs,
    );
    const { state, tags } = view.analysis.resource;
    const accept =
      state === 'exception'
        ? `Accept the exception by listing ${tags.join(', ')} in perimeterExceptionTags, once an SCP controls who may set that tag; or close it. `
        : '';
    return withFix(result, endpoint, scope, judgeResource, candidate, {
      proven: (command) =>
        `${accept}Add a Deny for repositories outside ${trustedSet(scope, view)} (aws:ResourceOrgID/aws:ResourceAccount), keeping every other statement: ${command}`,
      otherwise: `${accept}Add a Deny statement with StringNotEqualsIfExists aws:ResourceOrgID (your organization) or aws:ResourceAccount (your accounts), or narrow the Allow that the message names; then scan again.`,
    });
  },
};
