import { serviceKindFor, serviceName, type Traffic } from '../core/regions';
import { fipsReason, fipsRequiredFor } from '../core/scope';
import {
  BASE_NEEDS,
  BASE_PERMISSIONS,
  createEndpointRemediation,
  describeIdle,
  DOCS,
  endpointsFor,
  FINDING_TYPES,
  TRAFFIC_LABEL,
} from './common';
import { verdict, type VpcCheck } from '../core/check';
import type { Scope } from '../core/scope';

function requiredTraffic(scope: Scope): Traffic[] {
  return scope.params.requiredEndpoints.has('api') ? ['git', 'api'] : ['git'];
}

export const cce3: VpcCheck = {
  id: 'CCE.3',
  title: 'VPC that requires FIPS has no FIPS endpoint',
  severity: 'HIGH',
  failsWhen:
    'FIPS is required and a required service lacks an available `-fips` endpoint (where the region offers one)',
  findingTypes: [FINDING_TYPES.fips],
  resourceType: 'AWS::EC2::VPC',
  risk: 'Workloads bound to FIPS 140 send CodeCommit traffic through endpoints that do not use FIPS-validated cryptography.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpoints,
  evaluate(vpc, scope) {
    if (!fipsRequiredFor(scope, vpc)) {
      const why =
        scope.params.fipsRequired === 'never'
          ? 'fipsRequired is never'
          : `the VPC does not carry the tag ${scope.params.fipsTag.key}=${scope.params.fipsTag.value}`;
      return verdict('NOT_APPLICABLE', `FIPS is not required for VPC ${vpc.VpcId} (${why}).`);
    }
    const judged = requiredTraffic(scope).filter((traffic) => scope.offer.services.has(serviceKindFor(traffic, true)));
    if (judged.length === 0) {
      return verdict(
        'NOT_APPLICABLE',
        `Region ${scope.region} offers no FIPS variant of the required CodeCommit endpoint services.`,
      );
    }
    const missing = judged.filter(
      (traffic) =>
        endpointsFor(scope, vpc.VpcId, (kind) => kind === serviceKindFor(traffic, true)).serving.length === 0,
    );
    if (missing.length === 0) {
      return verdict(
        'PASSED',
        `VPC ${vpc.VpcId} has available FIPS endpoints for ${judged.map((t) => TRAFFIC_LABEL[t]).join(' and ')}.`,
      );
    }
    const detail = missing
      .map((traffic) => {
        const kind = serviceKindFor(traffic, true);
        return `${serviceName(scope.region, kind)}${describeIdle(endpointsFor(scope, vpc.VpcId, (k) => k === kind).idle)}`;
      })
      .join(' and ');
    return verdict(
      'FAILED',
      `FIPS is required for VPC ${vpc.VpcId} (${fipsReason(scope)}) but it has no available endpoint for ${detail}.`,
    );
  },
  remediation(vpc, scope) {
    return requiredTraffic(scope)
      .filter((traffic) => scope.offer.services.has(serviceKindFor(traffic, true)))
      .filter(
        (traffic) =>
          endpointsFor(scope, vpc.VpcId, (kind) => kind === serviceKindFor(traffic, true)).serving.length === 0,
      )
      .map((traffic) => createEndpointRemediation(scope, vpc.VpcId, serviceKindFor(traffic, true)))
      .join(' ');
  },
};
