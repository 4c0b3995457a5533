import { withoutPushes } from '../policy/index';
import { serviceName } from '../core/regions';
import type { EndpointCheck } from '../core/check';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS, FINDING_TYPES } from './common';
import { policyOf } from './policy-common';
import { judgePush, withFix } from './policy-verdicts';

export const cce8: EndpointCheck = {
  id: 'CCE.8',
  title: 'Non-FIPS Git endpoint allows pushes where FIPS is required',
  severity: 'HIGH',
  failsWhen: "a FIPS-bound VPC's `git-codecommit` endpoint allows `codecommit:GitPush`",
  findingTypes: [FINDING_TYPES.fips],
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'Code can be pushed over a connection that does not use FIPS-validated cryptography from a VPC bound to FIPS 140.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpoints,
  evaluate(endpoint, scope) {
    const result = judgePush(endpoint, scope);
    const view = policyOf(endpoint, scope);
    if (!view.ok) return result;
    const fips = serviceName(scope.region, 'git-codecommit-fips');
    return withFix(result, endpoint, scope, judgePush, withoutPushes(view.policy), {
      proven: (command) =>
        `Deny codecommit:GitPush on this endpoint, keeping every other statement, and push through ${fips} instead: ${command}`,
      otherwise: `Add a Deny of codecommit:GitPush for Principal "*" to this endpoint's policy and push through ${fips} instead; then scan again.`,
    });
  },
};
