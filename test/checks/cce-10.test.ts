import { describe, expect, it } from 'vitest';
import type { SecurityGroup } from '../../functions/core/inventory';
import { endpoint, only, run, scope, securityGroup, svc, vpc } from '../fixtures/builders';

function withGroups(groups: SecurityGroup[] | undefined, groupIds = ['sg-1']) {
  return scope('us-east-2', {
    vpcs: [vpc('vpc-1')],
    vpcEndpoints: [
      endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'git-codecommit'), {
        Groups: groupIds.map((GroupId) => ({ GroupId })),
      }),
    ],
    securityGroups: groups,
  });
}

describe('CCE.10 security group open to the world', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.10', scope('us-east-2'))).toEqual([]);
  });

  it('passes a group open to the VPC only', () => {
    expect(only(run('CCE.10', withGroups([securityGroup('sg-1')])), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message: 'No security group of endpoint vpce-1 allows inbound HTTPS from the whole internet.',
    });
  });

  it('fails TCP 443 from 0.0.0.0/0', () => {
    const f = only(run('CCE.10', withGroups([securityGroup('sg-1', '0.0.0.0/0')])), 'vpce-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'LOW',
      message: 'Security group sg-1 of endpoint vpce-1 allows inbound TCP 443 from 0.0.0.0/0.',
    });
    expect(f.remediation).toContain('aws ec2 revoke-security-group-ingress --region us-east-2 --group-id sg-1');
  });

  it('fails all traffic from ::/0 and port ranges covering 443', () => {
    const v6: SecurityGroup = {
      GroupId: 'sg-1',
      IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    };
    expect(only(run('CCE.10', withGroups([v6])), 'vpce-1').message).toBe(
      'Security group sg-1 of endpoint vpce-1 allows inbound all traffic from ::/0.',
    );
    const range: SecurityGroup = {
      GroupId: 'sg-1',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    };
    expect(only(run('CCE.10', withGroups([range])), 'vpce-1').message).toBe(
      'Security group sg-1 of endpoint vpce-1 allows inbound TCP 0-65535 from 0.0.0.0/0.',
    );
  });

  it('passes world access on other ports or protocols', () => {
    expect(only(run('CCE.10', withGroups([securityGroup('sg-1', '0.0.0.0/0', 'tcp', 22)])), 'vpce-1').status).toBe(
      'PASSED',
    );
    expect(only(run('CCE.10', withGroups([securityGroup('sg-1', '0.0.0.0/0', 'udp', 443)])), 'vpce-1').status).toBe(
      'PASSED',
    );
  });

  it('judges every attached group', () => {
    const f = only(
      run('CCE.10', withGroups([securityGroup('sg-1'), securityGroup('sg-2', '0.0.0.0/0')], ['sg-1', 'sg-2'])),
      'vpce-1',
    );
    expect(f.message).toBe('Security group sg-2 of endpoint vpce-1 allows inbound TCP 443 from 0.0.0.0/0.');
  });

  it('gives ERROR "data not collected" when the inventory has no security groups', () => {
    const f = only(run('CCE.10', withGroups(undefined)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'ERROR',
      message: 'Data not collected: the inventory has no security groups (ec2:DescribeSecurityGroups).',
    });
  });

  it('gives ERROR when an attached group is missing from the data', () => {
    expect(only(run('CCE.10', withGroups([securityGroup('sg-1')], ['sg-9'])), 'vpce-1')).toMatchObject({
      status: 'ERROR',
      message: 'Security group sg-9 of endpoint vpce-1 is not in the collected data.',
    });
  });
});
