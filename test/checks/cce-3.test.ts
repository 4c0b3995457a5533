import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

const FIPS_TAG = { 'codecommit-audit:fips': 'required' };

describe('CCE.3 FIPS endpoints', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.3', scope('us-east-2'))).toEqual([]);
  });

  it('is not applicable for an untagged VPC under fipsRequired=tagged', () => {
    const f = only(run('CCE.3', scope('us-east-2', { vpcs: [vpc('vpc-1')] })), 'vpc-1');
    expect(f).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'FIPS is not required for VPC vpc-1 (the VPC does not carry the tag codecommit-audit:fips=required).',
    });
  });

  it('is not applicable under fipsRequired=never, even when tagged', () => {
    const f = only(
      run('CCE.3', scope('us-east-2', { vpcs: [vpc('vpc-1', { tags: FIPS_TAG })] }), { fipsRequired: 'never' }),
      'vpc-1',
    );
    expect(f).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'FIPS is not required for VPC vpc-1 (fipsRequired is never).',
    });
  });

  it('fails a tagged VPC with only non-FIPS endpoints, naming both missing services', () => {
    const inventory = scope('us-east-2', {
      vpcs: [vpc('vpc-1', { tags: FIPS_TAG })],
      vpcEndpoints: [
        endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'git-codecommit')),
        endpoint('vpce-2', 'vpc-1', svc('us-east-2', 'codecommit')),
      ],
    });
    const f = only(run('CCE.3', inventory), 'vpc-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'HIGH',
      message:
        'FIPS is required for VPC vpc-1 (the VPC carries the tag codecommit-audit:fips=required) but it has no available endpoint for com.amazonaws.us-east-2.git-codecommit-fips and com.amazonaws.us-east-2.codecommit-fips.',
    });
    expect(f.remediation).toContain('--service-name com.amazonaws.us-east-2.git-codecommit-fips ');
    expect(f.remediation).toContain('--service-name com.amazonaws.us-east-2.codecommit-fips ');
  });

  it('passes with both FIPS endpoints under fipsRequired=always', () => {
    const inventory = scope('us-west-2', {
      vpcs: [vpc('vpc-1')],
      vpcEndpoints: [
        endpoint('vpce-1', 'vpc-1', svc('us-west-2', 'git-codecommit-fips')),
        endpoint('vpce-2', 'vpc-1', svc('us-west-2', 'codecommit-fips')),
      ],
    });
    const f = only(run('CCE.3', inventory, { fipsRequired: 'always' }), 'vpc-1');
    expect(f).toMatchObject({ status: 'PASSED', message: 'VPC vpc-1 has available FIPS endpoints for Git and API.' });
  });

  it('judges only Git when api is not required', () => {
    const inventory = scope('us-east-1', {
      vpcs: [vpc('vpc-1', { tags: FIPS_TAG })],
      vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-1', 'git-codecommit-fips'))],
    });
    expect(only(run('CCE.3', inventory, { requiredEndpoints: 'git' }), 'vpc-1').status).toBe('PASSED');
    expect(only(run('CCE.3', inventory), 'vpc-1').message).toContain(
      'no available endpoint for com.amazonaws.us-east-1.codecommit-fips.',
    );
  });

  it('fails when the FIPS endpoint exists but is not available', () => {
    const inventory = scope('us-east-1', {
      vpcs: [vpc('vpc-1', { tags: FIPS_TAG })],
      vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-1', 'git-codecommit-fips'), { State: 'rejected' })],
    });
    const f = only(run('CCE.3', inventory, { requiredEndpoints: 'git' }), 'vpc-1');
    expect(f.message).toContain('com.amazonaws.us-east-1.git-codecommit-fips (vpce-1 is rejected)');
  });

  it('is not applicable in a region without FIPS variants', () => {
    const f = only(run('CCE.3', scope('eu-west-1', { vpcs: [vpc('vpc-1', { tags: FIPS_TAG })] })), 'vpc-1');
    expect(f).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'Region eu-west-1 offers no FIPS variant of the required CodeCommit endpoint services.',
    });
  });

  it('judges only Git in us-gov-east-1, which has no FIPS API endpoint', () => {
    const inventory = scope('us-gov-east-1', {
      vpcs: [vpc('vpc-1', { tags: FIPS_TAG })],
      vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-gov-east-1', 'git-codecommit-fips'))],
    });
    const f = only(run('CCE.3', inventory), 'vpc-1');
    expect(f).toMatchObject({
      status: 'PASSED',
      message: 'VPC vpc-1 has available FIPS endpoints for Git.',
      resourceArn: 'arn:aws-us-gov:ec2:us-gov-east-1:123456789012:vpc/vpc-1',
    });
  });

  it('is not applicable in China (no FIPS)', () => {
    expect(
      only(run('CCE.3', scope('cn-northwest-1', { vpcs: [vpc('vpc-1')] }), { fipsRequired: 'always' }), 'vpc-1').status,
    ).toBe('NOT_APPLICABLE');
  });

  it('honours a custom fipsTag', () => {
    const inventory = scope('us-east-2', { vpcs: [vpc('vpc-1', { tags: { compliance: 'fips' } })] });
    expect(only(run('CCE.3', inventory, { fipsTag: 'compliance=fips' }), 'vpc-1').status).toBe('FAILED');
  });
});
