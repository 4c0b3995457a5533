import {
  BASE_NEEDS,
  BASE_PERMISSIONS,
  createEndpointRemediation,
  DOCS,
  endpointPresence,
  preferredKind,
} from './common';
import { verdict, type VpcCheck } from '../core/check';

export const cce2: VpcCheck = {
  id: 'CCE.2',
  title: 'VPC has no interface endpoint for the CodeCommit API',
  severity: 'MEDIUM',
  severityNote:
    'HIGH when a route table of the VPC sends the default route to an internet, egress-only or NAT gateway; MEDIUM when it goes elsewhere; LOW when the VPC has no default route',
  failsWhen: '`api` is required and no available endpoint for `codecommit` or `codecommit-fips`',
  resourceType: 'AWS::EC2::VPC',
  risk: 'CodeCommit API calls (CLI, SDKs, console actions) from this VPC leave it for the public CodeCommit endpoint.',
  permissions: [...BASE_PERMISSIONS, 'ec2:DescribeRouteTables'],
  needs: BASE_NEEDS,
  remediationUrl: DOCS.endpoints,
  evaluate(vpc, scope) {
    if (!scope.params.requiredEndpoints.has('api')) {
      return verdict(
        'NOT_APPLICABLE',
        'The CodeCommit API endpoint is not required (requiredEndpoints does not include api).',
      );
    }
    return endpointPresence(vpc, scope, 'api');
  },
  remediation: (vpc, scope) => createEndpointRemediation(scope, vpc.VpcId, preferredKind(scope, vpc, 'api')),
};
