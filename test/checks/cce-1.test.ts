import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

describe('CCE.1 Git endpoint', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.1', scope('us-east-2'))).toEqual([]);
  });

  it('passes with an available git-codecommit endpoint', () => {
    const f = only(
      run(
        'CCE.1',
        scope('us-east-2', {
          vpcs: [vpc('vpc-1')],
          vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'git-codecommit'))],
        }),
      ),
      'vpc-1',
    );
    expect(f.status).toBe('PASSED');
    expect(f.message).toBe('VPC vpc-1 has an available Git endpoint vpce-1 (com.amazonaws.us-east-2.git-codecommit).');
    expect(f.remediation).toBe('No action needed.');
  });

  it('passes with only the FIPS Git endpoint', () => {
    const f = only(
      run(
        'CCE.1',
        scope('us-east-1', {
          vpcs: [vpc('vpc-1')],
          vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-1', 'git-codecommit-fips'))],
        }),
      ),
      'vpc-1',
    );
    expect(f.status).toBe('PASSED');
  });

  it('fails without endpoints, with the exact create command', () => {
    const f = only(run('CCE.1', scope('us-east-2', { vpcs: [vpc('vpc-1')] })), 'vpc-1');
    expect(f).toMatchObject({
      checkId: 'CCE.1',
      status: 'FAILED',
      severity: 'MEDIUM',
      resourceType: 'AWS::EC2::VPC',
      resourceId: 'vpc-1',
      vpcId: 'vpc-1',
      resourceArn: 'arn:aws:ec2:us-east-2:123456789012:vpc/vpc-1',
      message:
        'VPC vpc-1 has no available endpoint for com.amazonaws.us-east-2.git-codecommit[-fips]; route tables not collected: severity not weighed.',
    });
    expect(f.remediation).toContain(
      'aws ec2 create-vpc-endpoint --region us-east-2 --vpc-id vpc-1 --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-2.git-codecommit ',
    );
  });

  it('recommends the FIPS service for a FIPS-bound VPC', () => {
    const f = only(
      run('CCE.1', scope('us-east-2', { vpcs: [vpc('vpc-1', { tags: { 'codecommit-audit:fips': 'required' } })] })),
      'vpc-1',
    );
    expect(f.remediation).toContain('--service-name com.amazonaws.us-east-2.git-codecommit-fips ');
  });

  it('fails when the only Git endpoint is not available, naming its state', () => {
    const inventory = scope('us-east-2', {
      vpcs: [vpc('vpc-1')],
      vpcEndpoints: [
        endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'git-codecommit'), { State: 'pendingAcceptance' }),
        endpoint('vpce-2', 'vpc-1', svc('us-east-2', 'codecommit')),
        endpoint('vpce-3', 'vpc-1', svc('us-east-2', 'git-codecommit'), { VpcEndpointType: 'Gateway' }),
      ],
    });
    const f = only(run('CCE.1', inventory), 'vpc-1');
    expect(f.status).toBe('FAILED');
    expect(f.message).toBe(
      'VPC vpc-1 has no available endpoint for com.amazonaws.us-east-2.git-codecommit[-fips] (vpce-1 is pendingAcceptance); route tables not collected: severity not weighed.',
    );
  });

  it('ignores an endpoint of another region or another VPC', () => {
    const inventory = scope('us-east-2', {
      vpcs: [vpc('vpc-1'), vpc('vpc-2')],
      vpcEndpoints: [
        endpoint('vpce-1', 'vpc-2', svc('us-east-2', 'git-codecommit')),
        endpoint('vpce-2', 'vpc-1', svc('us-west-2', 'git-codecommit')),
      ],
    });
    const findings = run('CCE.1', inventory);
    expect(only(findings, 'vpc-1').status).toBe('FAILED');
    expect(only(findings, 'vpc-2').status).toBe('PASSED');
  });

  it('is not applicable where the live service list has no Git service', () => {
    const f = only(
      run('CCE.1', scope('us-east-2', { vpcs: [vpc('vpc-1')], endpointServices: [svc('us-east-2', 'codecommit')] })),
      'vpc-1',
    );
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.message).toBe('Region us-east-2 offers no CodeCommit Git endpoint service.');
  });

  it('uses the China service-name forms and ARNs', () => {
    const inventory = scope('cn-north-1', {
      vpcs: [vpc('vpc-1'), vpc('vpc-2')],
      vpcEndpoints: [endpoint('vpce-1', 'vpc-1', 'cn.com.amazonaws.cn-north-1.git-codecommit')],
    });
    const findings = run('CCE.1', inventory);
    expect(only(findings, 'vpc-1')).toMatchObject({
      status: 'PASSED',
      resourceArn: 'arn:aws-cn:ec2:cn-north-1:123456789012:vpc/vpc-1',
    });
    expect(only(findings, 'vpc-2').remediation).toContain('--service-name cn.com.amazonaws.cn-north-1.git-codecommit ');
  });

  it('uses the GovCloud partition in ARNs', () => {
    const f = only(run('CCE.1', scope('us-gov-west-1', { vpcs: [vpc('vpc-1')] })), 'vpc-1');
    expect(f.resourceArn).toBe('arn:aws-us-gov:ec2:us-gov-west-1:123456789012:vpc/vpc-1');
    expect(f.status).toBe('FAILED');
  });

  describe('weighs where the traffic goes without the endpoint (route tables)', () => {
    const table = (id: string, routes: Record<string, string>[]) => ({
      RouteTableId: id,
      VpcId: 'vpc-1',
      Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, ...routes],
    });
    const failing = (routeTables: ReturnType<typeof table>[], extra: Record<string, unknown> = {}) =>
      only(run('CCE.1', scope('us-east-2', { vpcs: [vpc('vpc-1')], routeTables, ...extra })), 'vpc-1');

    it.each([
      [
        'HIGH: the default route goes to an internet gateway',
        [table('rtb-1', [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }])],
        'HIGH',
        'rtb-1 sends 0.0.0.0/0 to internet gateway igw-1: traffic crosses the internet.',
      ],
      [
        'HIGH: a private subnet whose default route goes to a NAT gateway',
        [
          table('rtb-1', [{ DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-1', State: 'active' }]),
          table('rtb-2', [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' }]),
        ],
        'HIGH',
        'rtb-2 sends 0.0.0.0/0 to NAT gateway nat-1: traffic crosses the internet.',
      ],
      [
        'HIGH: IPv6 through an egress-only gateway',
        [
          table('rtb-1', [
            { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', State: 'active' },
          ]),
        ],
        'HIGH',
        'rtb-1 sends ::/0 to egress-only internet gateway eigw-1: traffic crosses the internet.',
      ],
      [
        'MEDIUM: the default route goes to a transit gateway',
        [table('rtb-1', [{ DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-1', State: 'active' }])],
        'MEDIUM',
        'rtb-1 sends 0.0.0.0/0 to transit gateway tgw-1, not straight to the internet.',
      ],
      [
        'LOW: no default route (a blackholed one does not count)',
        [table('rtb-1', [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-gone', State: 'blackhole' }])],
        'LOW',
        'no default route: CodeCommit is out of its reach.',
      ],
    ])('%s', (_name, routeTables, severity, tail) => {
      const f = failing(routeTables);
      expect(f).toMatchObject({ status: 'FAILED', severity });
      expect(f.message.endsWith(tail)).toBe(true);
      expect(f.message.length).toBeLessThanOrEqual(256);
    });

    // The severity is part of the verdict: without the routes it is ERROR (a FAILED already published stands).
    it('is ERROR naming the call when DescribeRouteTables failed', () => {
      const f = failing([], {
        collectionErrors: [
          { data: 'routeTables', operation: 'DescribeRouteTables', code: 'UnauthorizedOperation', message: 'no' },
        ],
      });
      expect(f).toMatchObject({ status: 'ERROR' });
      expect(f.message).toContain('could not be read (DescribeRouteTables: UnauthorizedOperation)');
      expect(f.remediation).toContain('ec2:DescribeRouteTables');
      expect(f.remediation).toContain('aws ec2 create-vpc-endpoint');
    });

    it('is PASSED whatever the routes when the endpoint is there', () => {
      const passed = run(
        'CCE.1',
        scope('us-east-2', {
          vpcs: [vpc('vpc-1')],
          vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'git-codecommit'))],
          collectionErrors: [
            { data: 'routeTables', operation: 'DescribeRouteTables', code: 'Throttling', message: 'slow' },
          ],
        }),
      );
      expect(passed[0]?.status).toBe('PASSED');
    });
  });
});
