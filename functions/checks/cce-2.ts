import { serviceName } from '../core/regions';
import {
  BASE_NEEDS,
  BASE_PERMISSIONS,
  createEndpointRemediation,
  describeIdle,
  DOCS,
  endpointsFor,
  preferredKind,
} from './common';
import { verdict, type VpcCheck } from './types';

const isApi = (kind: string): boolean => kind === 'codecommit' || kind === 'codecommit-fips';

export const cce2: VpcCheck = {
  id: 'CCE.2',
  title: 'VPC has no interface endpoint for the CodeCommit API',
  severity: 'MEDIUM',
  resourceType: 'AWS::EC2::VPC',
  risk: 'CodeCommit API calls (CLI, SDKs, console actions) from this VPC leave it for the public CodeCommit endpoint.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpoints,
  evaluate(vpc, scope) {
    if (!scope.params.requiredEndpoints.has('api')) {
      return verdict(
        'NOT_APPLICABLE',
        'The CodeCommit API endpoint is not required (requiredEndpoints does not include api).',
      );
    }
    if (!scope.offer.services.has('codecommit') && !scope.offer.services.has('codecommit-fips')) {
      return verdict('NOT_APPLICABLE', `Region ${scope.region} offers no CodeCommit API endpoint service.`);
    }
    const { serving, idle } = endpointsFor(scope, vpc.VpcId, isApi);
    const [first] = serving;
    if (first)
      return verdict(
        'PASSED',
        `VPC ${vpc.VpcId} has an available API endpoint ${first.id} (${first.raw.ServiceName}).`,
      );
    return verdict(
      'FAILED',
      `VPC ${vpc.VpcId} has no available interface endpoint for ${serviceName(scope.region, 'codecommit')} or its FIPS variant${describeIdle(idle)}.`,
    );
  },
  remediation(vpc, scope) {
    return createEndpointRemediation(scope, vpc.VpcId, preferredKind(scope, vpc, 'api'));
  },
};
