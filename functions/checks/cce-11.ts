import { BASE_NEEDS, BASE_PERMISSIONS, DOCS } from './common';
import { verdict, type EndpointCheck } from '../core/check';

export const cce11: EndpointCheck = {
  id: 'CCE.11',
  title: 'Endpoint is in a single Availability Zone',
  severity: 'LOW',
  failsWhen: 'its subnets span fewer than two Availability Zones',
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'An endpoint in one Availability Zone fails with that zone: CodeCommit access from the VPC stops or takes the public route.',
  permissions: [...BASE_PERMISSIONS, 'ec2:DescribeSubnets'],
  needs: [...BASE_NEEDS, 'subnets'],
  remediationUrl: DOCS.subnets,
  evaluate(endpoint, scope) {
    const subnetIds = endpoint.raw.SubnetIds;
    if (subnetIds === undefined)
      return verdict('ERROR', `Endpoint ${endpoint.id} has no SubnetIds field in the collected data.`);
    const zones = new Set<string>();
    for (const id of subnetIds) {
      const zone = scope.subnets?.get(id)?.AvailabilityZone;
      if (zone === undefined)
        return verdict(
          'ERROR',
          `Subnet ${id} of endpoint ${endpoint.id} or its Availability Zone is not in the collected data.`,
        );
      zones.add(zone);
    }
    const list = [...zones].sort().join(', ');
    if (zones.size >= 2)
      return verdict('PASSED', `Endpoint ${endpoint.id} spans ${zones.size} Availability Zones (${list}).`);
    return verdict(
      'FAILED',
      `Endpoint ${endpoint.id} spans ${zones.size === 0 ? 'no Availability Zone (no subnets)' : `only ${list}`}.`,
    );
  },
  remediation(endpoint, scope) {
    return (
      `Add a subnet in another Availability Zone: aws ec2 modify-vpc-endpoint --region ${scope.region} --vpc-endpoint-id ${endpoint.id} ` +
      `--add-subnet-ids SUBNET_IN_ANOTHER_AZ. CloudFormation: list subnets of two or more zones in SubnetIds.`
    );
  },
};
