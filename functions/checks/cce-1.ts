import {
  BASE_NEEDS,
  BASE_PERMISSIONS,
  createEndpointRemediation,
  DOCS,
  endpointPresence,
  preferredKind,
} from './common';
import type { VpcCheck } from '../core/check';

export const cce1: VpcCheck = {
  id: 'CCE.1',
  title: 'VPC has no interface endpoint for CodeCommit Git',
  severity: 'MEDIUM',
  severityNote:
    'HIGH when a route table of the VPC sends the default route to an internet, egress-only or NAT gateway; MEDIUM when it goes elsewhere; LOW when the VPC has no default route',
  failsWhen: 'no available Interface endpoint for `git-codecommit` or `git-codecommit-fips`',
  resourceType: 'AWS::EC2::VPC',
  risk: 'Git clones and pushes from this VPC reach CodeCommit over the internet (NAT or internet gateway) instead of AWS PrivateLink.',
  permissions: [...BASE_PERMISSIONS, 'ec2:DescribeRouteTables'],
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpoints,
  evaluate: (vpc, scope) => endpointPresence(vpc, scope, 'git'),
  remediation: (vpc, scope) => createEndpointRemediation(scope, vpc.VpcId, preferredKind(scope, vpc, 'git')),
};
