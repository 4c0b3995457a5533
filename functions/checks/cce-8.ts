import { serviceName } from '../core/regions';
import { fipsReason, fipsRequiredFor } from '../core/scope';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS, FINDING_TYPES } from './common';
import { holeSource, invalidPolicyMessage, modifyPolicyCommand, policyOf } from './policy-common';
import { verdict, type EndpointCheck } from '../core/check';

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
    if (endpoint.kind !== 'git-codecommit')
      return verdict('NOT_APPLICABLE', `Endpoint ${endpoint.id} is not a non-FIPS Git endpoint (${endpoint.kind}).`);
    if (!scope.params.fipsPushOnly)
      return verdict(
        'NOT_APPLICABLE',
        'Pushes through non-FIPS Git endpoints are not restricted (fipsPushOnly is false).',
      );
    const vpc = scope.vpcs.get(endpoint.vpcId);
    if (!vpc || !fipsRequiredFor(scope, vpc))
      return verdict('NOT_APPLICABLE', `FIPS is not required for VPC ${endpoint.vpcId}.`);
    if (!scope.offer.services.has('git-codecommit-fips'))
      return verdict('NOT_APPLICABLE', `Region ${scope.region} offers no FIPS Git endpoint.`);
    const view = policyOf(endpoint, scope);
    if (!view.ok) return verdict('ERROR', invalidPolicyMessage(endpoint, view.error));
    const hole = view.analysis.pushHole;
    if (!hole)
      return verdict(
        'PASSED',
        `The policy of endpoint ${endpoint.id} allows no codecommit:GitPush, so pushes go through the FIPS endpoint.`,
      );
    return verdict(
      'FAILED',
      `FIPS is required for VPC ${endpoint.vpcId} (${fipsReason(scope)}) but ${holeSource(view, hole)} allows codecommit:GitPush through this non-FIPS endpoint.`,
    );
  },
  remediation(endpoint, scope) {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowPullOnly',
          Effect: 'Allow',
          Principal: '*',
          Action: 'codecommit:GitPull',
          Resource: `arn:${scope.partition}:codecommit:${scope.region}:${scope.accountId}:*`,
        },
        { Sid: 'DenyPushOutsideFips', Effect: 'Deny', Principal: '*', Action: 'codecommit:GitPush', Resource: '*' },
      ],
    });
    return `Deny pushes on this endpoint and push through ${serviceName(scope.region, 'git-codecommit-fips')} instead: ${modifyPolicyCommand(endpoint, scope, policy)}`;
  },
};
