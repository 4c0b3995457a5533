import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../functions/checks/index';
import { hasConfigRule, type Verdict, type VpcCheck } from '../../functions/core/check';
import type { Vpc } from '../../functions/core/inventory';
import { evaluate, incompleteScopes } from '../../functions/core/engine';
import { parseParams } from '../../functions/core/params';
import { endpoint, run, scope, svc, vpc } from '../fixtures/builders';
import { CHECK_IDS } from '../../functions/checks/index';

// The checks on VPCs and endpoints (the account-level and CloudTrail checks have their own tests).
const ids = CATALOGUE.filter(hasConfigRule).map((c) => c.id);
const allIds = CATALOGUE.map((c) => c.id);

function inventoryWithOneOfEach(region = 'us-east-2', tags: Record<string, string> = {}, extra = {}) {
  return scope(region, {
    vpcs: [vpc('vpc-1', { tags })],
    vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc(region, 'git-codecommit'))],
    ...extra,
  });
}

describe('engine preconditions, for every check', () => {
  it.each(ids)('%s: an exempt VPC and its endpoints are not applicable', (id) => {
    const findings = run(id, inventoryWithOneOfEach('us-east-2', { 'codecommit-audit:exempt': 'true' }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'VPC vpc-1 is exempted by tag codecommit-audit:exempt=true.',
    });
  });

  it.each(ids)('%s: a custom exemptTag is honoured', (id) => {
    const findings = run(id, inventoryWithOneOfEach('us-east-2', { skip: 'yes' }), { exemptTag: 'skip=yes' });
    expect(findings[0]?.status).toBe('NOT_APPLICABLE');
  });

  it.each(ids)('%s: a region without CodeCommit endpoints is not applicable', (id) => {
    const findings = run(
      id,
      scope('af-south-1', {
        vpcs: [vpc('vpc-1')],
        vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('af-south-1', 'git-codecommit'))],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'NOT_APPLICABLE',
      message:
        'Region af-south-1 offers no CodeCommit interface endpoint service (according to the built-in region list).',
    });
  });

  it.each(ids)('%s: an empty live service list makes a listed region not applicable', (id) => {
    const findings = run(id, inventoryWithOneOfEach('us-east-2', {}, { endpointServices: [] }));
    expect(findings[0]?.message).toBe(
      'Region us-east-2 offers no CodeCommit interface endpoint service (according to DescribeVpcEndpointServices).',
    );
  });

  it.each(ids)('%s: default VPCs are not applicable with ignoreDefaultVpcs', (id) => {
    const inventory = inventoryWithOneOfEach('us-east-2', {}, { vpcs: [vpc('vpc-1', { IsDefault: true })] });
    expect(run(id, inventory, { ignoreDefaultVpcs: 'true' })[0]).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'VPC vpc-1 is a default VPC and ignoreDefaultVpcs is true.',
    });
    expect(run(id, inventory)[0]?.message).not.toContain('default VPC');
  });

  it.each(ids)('%s: a failed DescribeVpcEndpoints is one ERROR naming the AWS error code, never FAILED', (id) => {
    const inventory = inventoryWithOneOfEach(
      'us-east-2',
      {},
      {
        collectionErrors: [
          {
            data: 'vpcEndpoints',
            operation: 'DescribeVpcEndpoints',
            code: 'UnauthorizedOperation',
            message: 'You are not authorized to perform this operation.',
          },
        ],
      },
    );
    const findings = run(id, inventory);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'ERROR',
      resourceId: '*',
      message:
        'VPC endpoints (ec2:DescribeVpcEndpoints) could not be evaluated: DescribeVpcEndpoints failed with UnauthorizedOperation: You are not authorized to perform this operation.',
    });
    expect(findings[0]?.remediation).toContain("Grant the auditor's role ec2:DescribeVpcs");
  });

  it.each(allIds)('%s: a region that could not be scanned at all is ERROR', (id) => {
    const inventory = scope('ap-east-1', {
      collectionErrors: [
        { data: 'scope', operation: 'DescribeVpcs', code: 'OptInRequired', message: 'region not enabled' },
      ],
    });
    const [finding] = run(id, inventory);
    expect(finding).toMatchObject({
      status: 'ERROR',
      message:
        'Account-region 123456789012 ap-east-1 could not be evaluated: DescribeVpcs failed with OptInRequired: region not enabled',
    });
    expect(finding?.remediation).toBe('Enable the region for the account (or remove it from the scan) and scan again.');
  });
});

describe('engine', () => {
  it('gives ERROR for an endpoint whose VPC is not in the inventory', () => {
    const findings = run(
      'CCE.4',
      scope('us-east-2', { vpcEndpoints: [endpoint('vpce-1', 'vpc-9', svc('us-east-2', 'git-codecommit'))] }),
    );
    expect(findings[0]).toMatchObject({
      status: 'ERROR',
      message: 'VPC vpc-9 of this endpoint is not in the inventory, so its exemption and FIPS tags cannot be read.',
    });
  });

  it('turns only CCE.10 into ERROR when DescribeSecurityGroups failed', () => {
    const inventory = inventoryWithOneOfEach(
      'us-east-2',
      {},
      {
        collectionErrors: [
          {
            data: 'securityGroups',
            operation: 'DescribeSecurityGroups',
            code: 'UnauthorizedOperation',
            message: 'denied',
          },
        ],
      },
    );
    const findings = evaluate([inventory], parseParams({ checks: ids.join(',') }, CHECK_IDS), CATALOGUE);
    expect(findings.filter((f) => f.status === 'ERROR').map((f) => f.checkId)).toEqual(['CCE.10']);
    expect(findings.find((f) => f.checkId === 'CCE.10')?.message).toBe(
      'security groups (ec2:DescribeSecurityGroups) could not be evaluated: DescribeSecurityGroups failed with UnauthorizedOperation: denied',
    );
    expect(incompleteScopes([inventory])).toEqual([
      { accountId: '123456789012', region: 'us-east-2', reason: 'DescribeSecurityGroups: UnauthorizedOperation' },
    ]);
  });

  it('does not count a failed DescribeVpcEndpointServices as incomplete (the built-in lists serve)', () => {
    const inventory = inventoryWithOneOfEach(
      'us-east-2',
      {},
      {
        collectionErrors: [
          {
            data: 'endpointServices',
            operation: 'DescribeVpcEndpointServices',
            code: 'UnauthorizedOperation',
            message: 'denied',
          },
        ],
      },
    );
    expect(incompleteScopes([inventory])).toEqual([]);
    expect(run('CCE.1', inventory)[0]?.status).toBe('PASSED');
  });

  it('turns an exception inside a check into ERROR for that resource only', () => {
    const broken: VpcCheck = {
      ...(CATALOGUE[0] as VpcCheck),
      evaluate: (v: Vpc): Verdict => {
        if (v.VpcId === 'vpc-1') throw new Error('boom');
        return { status: 'PASSED', message: 'ok' };
      },
    };
    const findings = evaluate(
      [scope('us-east-2', { vpcs: [vpc('vpc-1'), vpc('vpc-2')] })],
      parseParams({}, CHECK_IDS),
      [broken],
    );
    expect(findings.map((f) => [f.resourceId, f.status, f.message])).toEqual([
      ['vpc-1', 'ERROR', 'Internal error while evaluating: boom'],
      ['vpc-2', 'PASSED', 'ok'],
    ]);
  });

  it('runs only the checks named in the checks parameter', () => {
    const findings = evaluate([inventoryWithOneOfEach()], parseParams({ checks: 'CCE.5,CCE.1' }, CHECK_IDS), CATALOGUE);
    expect(findings.map((f) => f.checkId)).toEqual(['CCE.1', 'CCE.5']);
  });

  it('cuts messages to 256 characters', () => {
    const longId = `vpc-${'a'.repeat(300)}`;
    const [finding] = run('CCE.1', scope('us-east-2', { vpcs: [vpc(longId)] }));
    expect(finding?.message.length).toBe(256);
  });
});
