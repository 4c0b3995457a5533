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

const isGit = (kind: string): boolean => kind === 'git-codecommit' || kind === 'git-codecommit-fips';

export const cce1: VpcCheck = {
  id: 'CCE.1',
  title: 'VPC has no interface endpoint for CodeCommit Git',
  severity: 'MEDIUM',
  resourceType: 'AWS::EC2::VPC',
  risk: 'Git clones and pushes from this VPC reach CodeCommit over the internet (NAT or internet gateway) instead of AWS PrivateLink.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpoints,
  evaluate(vpc, scope) {
    if (!scope.offer.services.has('git-codecommit') && !scope.offer.services.has('git-codecommit-fips')) {
      return verdict('NOT_APPLICABLE', `Region ${scope.region} offers no CodeCommit Git endpoint service.`);
    }
    const { serving, idle } = endpointsFor(scope, vpc.VpcId, isGit);
    const [first] = serving;
    if (first)
      return verdict(
        'PASSED',
        `VPC ${vpc.VpcId} has an available Git endpoint ${first.id} (${first.raw.ServiceName}).`,
      );
    return verdict(
      'FAILED',
      `VPC ${vpc.VpcId} has no available interface endpoint for ${serviceName(scope.region, 'git-codecommit')} or its FIPS variant${describeIdle(idle)}.`,
    );
  },
  remediation(vpc, scope) {
    return createEndpointRemediation(scope, vpc.VpcId, preferredKind(scope, vpc, 'git'));
  },
};
