import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import {
  accountOrganizationFloor,
  ORGANIZATIONS_PAGE_SIZE,
  organizationTreeFloor,
  readAccountOrganization,
  readOrganizationTree,
} from '../../functions/aws/organization';
import { CallCounter } from '../../functions/core/call-counter';
import {
  FULL_AWS_ACCESS_CONTENT,
  fakeOrganization,
  type FakeAccount,
  type FakeOrganization,
  type FakeOrganizationSpec,
} from '../fixtures/fake-org';

let fake: FakeOrganization | undefined;
afterEach(() => fake?.mock.restore());

const client = (): OrganizationsClient =>
  new OrganizationsClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
  });

/** AWS's data-perimeter pattern for CodeCommit: deny requests from outside the organization's endpoints. */
const PERIMETER = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyCodeCommitOutsideNetworks',
      Effect: 'Deny',
      Action: 'codecommit:*',
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:SourceVpc': ['vpc-0a1b2c3d4e5f60001'] },
        BoolIfExists: { 'aws:ViaAWSService': 'false' },
      },
    },
  ],
});
const DENY_LEAVE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
});

const accounts = (first: number, count: number, status?: (i: number) => FakeAccount['Status']): FakeAccount[] =>
  Array.from({ length: count }, (_, i) => ({
    Id: String(first + i),
    Name: `account-${first + i}`,
    ...(status ? { Status: status(i) } : {}),
  }));

const PROD = 'ou-a1b2-prod0001';
const WORKLOADS = 'ou-a1b2-work0001';
const DEV = 'ou-a1b2-dev00001';
const PROD_ACCOUNT = '200000000007';
const BUSY_ACCOUNT = '300000000000';

/**
 * Root → management account, Workloads → (Prod: 45 accounts, Dev: 2 accounts), and 22 sandbox OUs (one
 * account in the first): more than 20 of everything somewhere. SCPs: the perimeter on the root, DenyLeave on
 * Workloads and on one Prod account, 22 more on one sandbox account (AWS allows 5 a target; the fake does not
 * care, and the pages do), and FullAWSAccess everywhere.
 */
function spec(extra: Partial<FakeOrganizationSpec> = {}): FakeOrganizationSpec {
  const fillers = Array.from({ length: 22 }, (_, i) => ({
    Id: `p-filler${String(i).padStart(4, '0')}`,
    Name: `Filler${i}`,
    Content: DENY_LEAVE,
    targets: [BUSY_ACCOUNT],
  }));
  return {
    accounts: [{ Id: '999999999999', Name: 'management' }],
    ous: [
      {
        Id: WORKLOADS,
        Name: 'Workloads',
        ous: [
          { Id: PROD, Name: 'Prod', accounts: accounts(200000000000, 45, (i) => (i === 9 ? 'SUSPENDED' : 'ACTIVE')) },
          { Id: DEV, Name: 'Dev', accounts: accounts(210000000000, 2) },
        ],
      },
      ...Array.from({ length: 22 }, (_, i) => ({
        Id: `ou-a1b2-sbx${String(i).padStart(5, '0')}`,
        Name: `Sandbox${i}`,
        ...(i === 0 ? { accounts: [{ Id: BUSY_ACCOUNT, Name: 'busy' }] } : {}),
      })),
    ],
    policies: [
      { Id: 'p-perimeter1', Name: 'CodeCommitPerimeter', Content: PERIMETER, targets: ['r-a1b2'] },
      { Id: 'p-denyleave1', Name: 'DenyLeave', Content: DENY_LEAVE, targets: [WORKLOADS, PROD_ACCOUNT] },
      ...fillers,
    ],
    ...extra,
  };
}

describe('readAccountOrganization', () => {
  it('reads the path root first and the SCPs of every level, at the floor of calls', async () => {
    fake = fakeOrganization(spec());
    const counter = new CallCounter();
    const data = await readAccountOrganization(client(), PROD_ACCOUNT, counter);

    expect(data?.Organization).toEqual({
      Id: 'o-a1b2c3d4e5',
      MasterAccountId: '999999999999',
      Arn: 'arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5',
    });
    expect(data?.Parents).toEqual([
      { Id: 'r-a1b2', Type: 'ROOT' },
      { Id: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' },
      { Id: PROD, Type: 'ORGANIZATIONAL_UNIT' },
    ]);
    const ids = (target: string) => data?.Policies[target]?.map((p) => p.PolicySummary.Id);
    expect(Object.keys(data?.Policies ?? {})).toEqual(['r-a1b2', WORKLOADS, PROD, PROD_ACCOUNT]);
    expect(ids('r-a1b2')).toEqual(['p-FullAWSAccess', 'p-perimeter1']);
    expect(ids(WORKLOADS)).toEqual(['p-FullAWSAccess', 'p-denyleave1']);
    expect(ids(PROD)).toEqual(['p-FullAWSAccess']);
    expect(ids(PROD_ACCOUNT)).toEqual(['p-FullAWSAccess', 'p-denyleave1']);
    expect(data?.Policies['r-a1b2']?.[0]).toEqual({
      PolicySummary: {
        Id: 'p-FullAWSAccess',
        Name: 'FullAWSAccess',
        Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
        AwsManaged: true,
        Type: 'SERVICE_CONTROL_POLICY',
      },
      Content: FULL_AWS_ACCESS_CONTENT,
    });
    expect(data?.Policies['r-a1b2']?.[1]?.Content).toBe(PERIMETER);

    // 1 + 3 levels + 4 targets of at most 20 SCPs + 3 distinct SCPs.
    expect(counter.toJSON()).toEqual(
      accountOrganizationFloor({ policiesPerTarget: [2, 2, 1, 2], distinctPolicies: 3 }),
    );
    expect(counter.toJSON()).toEqual({
      DescribeOrganization: 1,
      ListParents: 3,
      ListPoliciesForTarget: 4,
      DescribePolicy: 3,
    });
  });

  it('pages ListPoliciesForTarget beyond 20 SCPs on a target, and describes each SCP once', async () => {
    fake = fakeOrganization(spec());
    const counter = new CallCounter();
    const data = await readAccountOrganization(client(), BUSY_ACCOUNT, counter);
    expect(data?.Parents.map((p) => p.Id)).toEqual(['r-a1b2', 'ou-a1b2-sbx00000']);
    expect(data?.Policies[BUSY_ACCOUNT]).toHaveLength(23);
    expect(counter.toJSON()).toEqual(
      accountOrganizationFloor({ policiesPerTarget: [2, 1, 23], distinctPolicies: 2 + 22 }),
    );
    expect(counter.counts.get('ListPoliciesForTarget')).toBe(1 + 1 + 2);
    for (const call of fake.mock.calls()) {
      const input = call.args[0].input as { MaxResults?: number };
      if ('MaxResults' in input) expect(input.MaxResults).toBe(ORGANIZATIONS_PAGE_SIZE);
    }
  });

  it('reads an account directly under the root (the management account)', async () => {
    fake = fakeOrganization(spec());
    const data = await readAccountOrganization(client(), '999999999999');
    expect(data?.Parents).toEqual([{ Id: 'r-a1b2', Type: 'ROOT' }]);
    expect(Object.keys(data?.Policies ?? {})).toEqual(['r-a1b2', '999999999999']);
  });

  it('gives null for an account in no organization, after one call', async () => {
    fake = fakeOrganization({ notInUse: true });
    const counter = new CallCounter();
    expect(await readAccountOrganization(client(), '123456789012', counter)).toBeNull();
    expect(counter.toJSON()).toEqual({ DescribeOrganization: 1 });
  });

  it('lets AccessDeniedException propagate (a member account that is no delegated administrator)', async () => {
    fake = fakeOrganization(spec({ accessDenied: true }));
    await expect(readAccountOrganization(client(), PROD_ACCOUNT)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: "You don't have permissions to access this resource.",
    });
  });

  it('lets a denied DescribePolicy propagate too', async () => {
    fake = fakeOrganization(spec({ accessDenied: ['DescribePolicy'] }));
    await expect(readAccountOrganization(client(), PROD_ACCOUNT)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('lets an unknown account fail with ChildNotFoundException', async () => {
    fake = fakeOrganization(spec());
    await expect(readAccountOrganization(client(), '123123123123')).rejects.toMatchObject({
      name: 'ChildNotFoundException',
    });
  });
});

describe('readOrganizationTree', () => {
  it('reads the whole organization at the floor of calls, none per account', async () => {
    fake = fakeOrganization(spec());
    const counter = new CallCounter();
    const tree = await readOrganizationTree(client(), counter);

    const shape = fake.shape();
    expect(counter.toJSON()).toEqual(organizationTreeFloor(shape));
    // Root: 23 OUs (2 pages), 1 account; Workloads: 2 OUs, 0 accounts; Prod 45 accounts (3 pages);
    // Dev 2; 22 sandboxes (1 account in the first). 25 SCPs (2 pages); FullAWSAccess on 1 + 25 OUs + 49 accounts.
    expect(counter.toJSON()).toEqual({
      DescribeOrganization: 1,
      ListRoots: 1,
      ListOrganizationalUnitsForParent: 2 + 1 + 1 + 1 + 22,
      ListAccountsForParent: 1 + 1 + 3 + 1 + 22,
      ListPolicies: 2,
      DescribePolicy: 25,
      ListTargetsForPolicy: 4 + 1 + 1 + 22,
    });
    expect(counter.total()).toBeLessThan(fake.accountIds().length + 90);

    expect(tree.Organization.MasterAccountId).toBe('999999999999');
    expect(tree.accounts).toHaveLength(49);
    expect(tree.accounts.map((a) => a.Id)).toEqual([...fake.accountIds()].sort());
    expect(tree.accounts.find((a) => a.Id === '200000000009')).toEqual({
      Id: '200000000009',
      Name: 'account-200000000009',
      Status: 'SUSPENDED',
    });
  });

  it('gives every account the same data as readAccountOrganization reads for it', async () => {
    fake = fakeOrganization(spec());
    const tree = await readOrganizationTree(client());
    for (const id of fake.accountIds()) {
      const single = await readAccountOrganization(client(), id);
      expect(tree.dataFor(id), id).toEqual(single);
    }
    expect(tree.dataFor('123123123123')).toBeUndefined();
  });

  it('works without FullAWSAccess and with no SCP at all', async () => {
    fake = fakeOrganization({ fullAwsAccess: false, accounts: accounts(100000000000, 3) });
    const counter = new CallCounter();
    const tree = await readOrganizationTree(client(), counter);
    expect(tree.dataFor('100000000001')).toEqual({
      Organization: expect.objectContaining({ Id: 'o-a1b2c3d4e5' }) as unknown,
      Parents: [{ Id: 'r-a1b2', Type: 'ROOT' }],
      Policies: { 'r-a1b2': [], '100000000001': [] },
    });
    expect(counter.toJSON()).toEqual(
      organizationTreeFloor({ parents: [{ ous: 0, accounts: 3 }], targetsPerPolicy: [] }),
    );
  });

  it('lets AWSOrganizationsNotInUseException and AccessDeniedException propagate', async () => {
    fake = fakeOrganization({ notInUse: true });
    await expect(readOrganizationTree(client())).rejects.toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    fake.mock.restore();
    fake = fakeOrganization(spec({ accessDenied: true }));
    await expect(readOrganizationTree(client())).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('the fake organization', () => {
  it('refuses MaxResults above 20 as AWS does', async () => {
    fake = fakeOrganization(spec());
    await expect(client().send(new ListRootsCommand({ MaxResults: 21 }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'MAX_VALUE_EXCEEDED',
    });
  });
});

describe('floors', () => {
  it('counts pages of 20, at least one call per list', () => {
    expect(
      organizationTreeFloor({
        parents: [
          { ous: 0, accounts: 0 },
          { ous: 21, accounts: 40 },
          { ous: 20, accounts: 41 },
        ],
        targetsPerPolicy: [0, 20, 21, 61],
      }),
    ).toEqual({
      DescribeOrganization: 1,
      ListRoots: 1,
      ListOrganizationalUnitsForParent: 1 + 2 + 1,
      ListAccountsForParent: 1 + 2 + 3,
      ListPolicies: 1,
      DescribePolicy: 4,
      ListTargetsForPolicy: 1 + 1 + 2 + 4,
    });
    expect(accountOrganizationFloor({ policiesPerTarget: [1, 0, 21], distinctPolicies: 22 })).toEqual({
      DescribeOrganization: 1,
      ListParents: 2,
      ListPoliciesForTarget: 1 + 1 + 2,
      DescribePolicy: 22,
    });
  });
});
