import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

describe('CCE.2 API endpoint', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.2', scope('us-east-2'))).toEqual([]);
  });

  it('passes with an available codecommit or codecommit-fips endpoint', () => {
    const inventory = scope('us-east-2', {
      vpcs: [vpc('vpc-1'), vpc('vpc-2')],
      vpcEndpoints: [
        endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'codecommit')),
        endpoint('vpce-2', 'vpc-2', svc('us-east-2', 'codecommit-fips')),
      ],
    });
    const findings = run('CCE.2', inventory);
    expect(only(findings, 'vpc-1').message).toBe(
      'VPC vpc-1 has an available API endpoint vpce-1 (com.amazonaws.us-east-2.codecommit).',
    );
    expect(only(findings, 'vpc-2').status).toBe('PASSED');
  });

  it('fails with only a Git endpoint', () => {
    const inventory = scope('eu-west-1', {
      vpcs: [vpc('vpc-1')],
      vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('eu-west-1', 'git-codecommit'))],
    });
    const f = only(run('CCE.2', inventory), 'vpc-1');
    expect(f.status).toBe('FAILED');
    expect(f.message).toBe(
      'VPC vpc-1 has no available endpoint for com.amazonaws.eu-west-1.codecommit[-fips]; route tables not collected: severity not weighed.',
    );
    expect(f.remediation).toContain('--service-name com.amazonaws.eu-west-1.codecommit ');
  });

  it('is not applicable when api is not required', () => {
    const f = only(run('CCE.2', scope('us-east-2', { vpcs: [vpc('vpc-1')] }), { requiredEndpoints: 'git' }), 'vpc-1');
    expect(f.status).toBe('NOT_APPLICABLE');
    expect(f.message).toBe('The CodeCommit API endpoint is not required (requiredEndpoints does not include api).');
  });

  it('is not applicable where the live service list has no API service', () => {
    const f = only(
      run(
        'CCE.2',
        scope('us-east-2', { vpcs: [vpc('vpc-1')], endpointServices: [svc('us-east-2', 'git-codecommit')] }),
      ),
      'vpc-1',
    );
    expect(f).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'Region us-east-2 offers no CodeCommit API endpoint service.',
    });
  });
});
