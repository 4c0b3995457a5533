import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

const GIT = svc('us-east-2', 'git-codecommit');

describe('CCE.4 private DNS', () => {
  it('gives no finding for an empty inventory or non-CodeCommit endpoints', () => {
    expect(run('CCE.4', scope('us-east-2'))).toEqual([]);
    expect(
      run(
        'CCE.4',
        scope('us-east-2', {
          vpcs: [vpc('vpc-1')],
          vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-2', 's3'))],
        }),
      ),
    ).toEqual([]);
  });

  it('passes with private DNS enabled', () => {
    const f = only(
      run('CCE.4', scope('us-east-2', { vpcs: [vpc('vpc-1')], vpcEndpoints: [endpoint('vpce-1', 'vpc-1', GIT)] })),
      'vpce-1',
    );
    expect(f).toMatchObject({
      status: 'PASSED',
      resourceType: 'AWS::EC2::VPCEndpoint',
      resourceArn: 'arn:aws:ec2:us-east-2:123456789012:vpc-endpoint/vpce-1',
      vpcId: 'vpc-1',
      message: 'Endpoint vpce-1 has private DNS enabled for git-codecommit.us-east-2.amazonaws.com.',
    });
  });

  it('fails with private DNS disabled and no sibling providing it', () => {
    const f = only(
      run(
        'CCE.4',
        scope('us-east-2', {
          vpcs: [vpc('vpc-1')],
          vpcEndpoints: [endpoint('vpce-1', 'vpc-1', GIT, { PrivateDnsEnabled: false })],
        }),
      ),
      'vpce-1',
    );
    expect(f.status).toBe('FAILED');
    expect(f.message).toBe(
      'Endpoint vpce-1 has private DNS disabled and no other git-codecommit endpoint in VPC vpc-1 has it, so git-codecommit.us-east-2.amazonaws.com resolves to public addresses.',
    );
    expect(f.remediation).toContain(
      'aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-1 --private-dns-enabled',
    );
  });

  it('passes when another endpoint of the same service in the VPC has private DNS', () => {
    const inventory = scope('us-east-2', {
      vpcs: [vpc('vpc-1')],
      vpcEndpoints: [endpoint('vpce-1', 'vpc-1', GIT, { PrivateDnsEnabled: false }), endpoint('vpce-2', 'vpc-1', GIT)],
    });
    expect(only(run('CCE.4', inventory), 'vpce-1').message).toBe(
      'Endpoint vpce-1 has private DNS disabled, but vpce-2 provides it for git-codecommit.us-east-2.amazonaws.com in VPC vpc-1.',
    );
  });

  it('does not count a sibling of another service or another VPC', () => {
    const inventory = scope('us-east-2', {
      vpcs: [vpc('vpc-1'), vpc('vpc-2')],
      vpcEndpoints: [
        endpoint('vpce-1', 'vpc-1', GIT, { PrivateDnsEnabled: false }),
        endpoint('vpce-2', 'vpc-1', svc('us-east-2', 'git-codecommit-fips')),
        endpoint('vpce-3', 'vpc-2', GIT),
      ],
    });
    expect(only(run('CCE.4', inventory), 'vpce-1').status).toBe('FAILED');
  });

  it('gives ERROR when PrivateDnsEnabled is missing from the data', () => {
    const e = endpoint('vpce-1', 'vpc-1', GIT);
    delete e.PrivateDnsEnabled;
    const f = only(run('CCE.4', scope('us-east-2', { vpcs: [vpc('vpc-1')], vpcEndpoints: [e] })), 'vpce-1');
    expect(f).toMatchObject({
      status: 'ERROR',
      message: 'Endpoint vpce-1 has no PrivateDnsEnabled field in the collected data.',
    });
  });

  it('names the China DNS suffix', () => {
    const inventory = scope('cn-north-1', {
      vpcs: [vpc('vpc-1')],
      vpcEndpoints: [
        endpoint('vpce-1', 'vpc-1', 'cn.com.amazonaws.cn-north-1.codecommit', { PrivateDnsEnabled: false }),
      ],
    });
    expect(only(run('CCE.4', inventory), 'vpce-1').message).toContain(
      'codecommit.cn-north-1.amazonaws.com.cn resolves to public addresses',
    );
  });
});
