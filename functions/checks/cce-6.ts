import { withIdentityPerimeter } from '../policy/index';
import type { EndpointCheck } from '../core/check';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS, FINDING_TYPES } from './common';
import { factsOf, policyOf, trustedSet } from './policy-common';
import { judgeIdentity, withFix } from './policy-verdicts';

export const cce6: EndpointCheck = {
  id: 'CCE.6',
  title: 'Endpoint policy has no identity perimeter',
  severity: 'MEDIUM',
  severityNote: 'HIGH when Read/Write actions cross both perimeters, LOW for List-only holes, else MEDIUM',
  failsWhen: 'the policy lets a principal outside your accounts and organizations through',
  findingTypes: [FINDING_TYPES.exfiltration],
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'Credentials from outside your accounts and organization can use your network path to CodeCommit; with CCE.7 also open, they can push your code to their own repositories.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.dataPerimeter,
  evaluate(endpoint, scope) {
    const result = judgeIdentity(endpoint, scope);
    const view = policyOf(endpoint, scope);
    if (!view.ok) return result;
    const candidate = withIdentityPerimeter(
      view.policy,
      factsOf(endpoint, scope),
      scope.params,
      view.analysis.perimeterOrgs,
    );
    return withFix(result, endpoint, scope, judgeIdentity, candidate, {
      proven: (command) =>
        `Add a Deny for principals outside ${trustedSet(scope, view)} (AWS's identity-perimeter pattern), keeping every other statement: ${command}`,
      otherwise:
        'Add a Deny statement with StringNotEqualsIfExists aws:PrincipalOrgID (your organization) or aws:PrincipalAccount ' +
        '(your accounts) and BoolIfExists aws:PrincipalIsAWSService false, or narrow the Allow that the message names; then scan again.',
    });
  },
};
