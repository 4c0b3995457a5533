import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

function withSubnets(subnetIds: string[] | undefined, collected = true) {
  const inventory = scope('us-east-2', {
    vpcs: [vpc('vpc-1')],
    vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'codecommit'), { SubnetIds: subnetIds })],
  });
  if (!collected) delete inventory.subnets;
  return inventory;
}

describe('CCE.11 single Availability Zone', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.11', scope('us-east-2'))).toEqual([]);
  });

  it('passes an endpoint in two zones', () => {
    expect(only(run('CCE.11', withSubnets(['subnet-a', 'subnet-b'])), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message: 'Endpoint vpce-1 spans 2 Availability Zones (us-east-2a, us-east-2b).',
    });
  });

  it('fails two subnets in the same zone', () => {
    const f = only(run('CCE.11', withSubnets(['subnet-a', 'subnet-c'])), 'vpce-1');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'LOW', message: 'Endpoint vpce-1 spans only us-east-2a.' });
    expect(f.remediation).toContain(
      'aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-1 --add-subnet-ids SUBNET_IN_ANOTHER_AZ',
    );
  });

  it('fails an endpoint with no subnets', () => {
    expect(only(run('CCE.11', withSubnets([])), 'vpce-1').message).toBe(
      'Endpoint vpce-1 spans no Availability Zone (no subnets).',
    );
  });

  it('gives ERROR "data not collected" without subnets in the inventory', () => {
    expect(only(run('CCE.11', withSubnets(['subnet-a'], false)), 'vpce-1')).toMatchObject({
      status: 'ERROR',
      message: 'Data not collected: the inventory has no subnets (ec2:DescribeSubnets).',
    });
  });

  it('gives ERROR for an unknown subnet or missing SubnetIds', () => {
    expect(only(run('CCE.11', withSubnets(['subnet-z'])), 'vpce-1').message).toBe(
      'Subnet subnet-z of endpoint vpce-1 or its Availability Zone is not in the collected data.',
    );
    expect(only(run('CCE.11', withSubnets(undefined)), 'vpce-1').message).toBe(
      'Endpoint vpce-1 has no SubnetIds field in the collected data.',
    );
  });
});
