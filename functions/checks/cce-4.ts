import { endpointsOf } from '../core/scope';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS, hostName } from './common';
import { verdict, type EndpointCheck } from '../core/check';

export const cce4: EndpointCheck = {
  id: 'CCE.4',
  title: 'Endpoint has private DNS disabled',
  severity: 'MEDIUM',
  failsWhen: 'private DNS is off and no other endpoint of that service in the VPC has it',
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'Without private DNS the CodeCommit host name resolves to public addresses, so traffic leaves the VPC although an endpoint exists.',
  permissions: BASE_PERMISSIONS,
  needs: BASE_NEEDS,
  remediationUrl: DOCS.privateDns,
  evaluate(endpoint, scope) {
    const enabled = endpoint.raw.PrivateDnsEnabled;
    if (enabled === undefined)
      return verdict('ERROR', `Endpoint ${endpoint.id} has no PrivateDnsEnabled field in the collected data.`);
    if (enabled)
      return verdict(
        'PASSED',
        `Endpoint ${endpoint.id} has private DNS enabled for ${hostName(scope, endpoint.kind)}.`,
      );
    const other = endpointsOf(scope, endpoint.vpcId).find(
      (e) => e.kind === endpoint.kind && e.id !== endpoint.id && e.raw.PrivateDnsEnabled === true,
    );
    if (other)
      return verdict(
        'PASSED',
        `Endpoint ${endpoint.id} has private DNS disabled, but ${other.id} provides it for ${hostName(scope, endpoint.kind)} in VPC ${endpoint.vpcId}.`,
      );
    return verdict(
      'FAILED',
      `Endpoint ${endpoint.id} has private DNS disabled and no other ${endpoint.kind} endpoint in VPC ${endpoint.vpcId} has it, so ${hostName(scope, endpoint.kind)} resolves to public addresses.`,
    );
  },
  remediation(endpoint, scope) {
    return (
      `Enable private DNS (the VPC needs enableDnsSupport and enableDnsHostnames): aws ec2 modify-vpc-endpoint --region ${scope.region} ` +
      `--vpc-endpoint-id ${endpoint.id} --private-dns-enabled. CloudFormation: set PrivateDnsEnabled: true on the AWS::EC2::VPCEndpoint.`
    );
  },
};
