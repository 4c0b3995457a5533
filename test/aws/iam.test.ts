import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListServiceSpecificCredentialsCommand,
  ListSSHPublicKeysCommand,
} from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { collectIam, decodePolicyDocument } from '../../functions/aws/iam';
import { CallCounter } from '../../functions/core/call-counter';
import type { IamData, IamUserDetail } from '../../functions/core/inventory';
import { fakeIam, iamError, type FakeIam, type FakeIamSpec } from '../fixtures/fake-iam';

let fake: FakeIam | undefined;
afterEach(() => fake?.mock.restore());

// IAM is global: any region will do.
const client = (): IAMClient =>
  new IAMClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } });

const allow = (action: string | string[], resource = '*') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
});
const GIT_PULL = allow(['codecommit:GitPull'], 'arn:aws:codecommit:us-east-2:123456789012:*');
const POWER_USER = allow(['codecommit:*']);
const ADMIN = allow('*');
const READ_ONLY = allow(['codecommit:BatchGet*', 'codecommit:Get*', 'codecommit:List*', 'codecommit:GitPull']);
const BOUNDARY_V1 = allow(['codecommit:*']);
const BOUNDARY_V2 = allow(['codecommit:GitPull', 'codecommit:GitPush']);
const AWS = 'arn:aws:iam::aws:policy';

/** Alice (developers group), Bob (inline GitPull), Carol (nothing for CodeCommit), Dave (boundary). */
function account(extra: Partial<FakeIamSpec> = {}): FakeIamSpec {
  return {
    users: [
      { UserName: 'alice', groups: ['developers'] },
      { UserName: 'bob', inline: { 'git-pull': GIT_PULL }, tags: [{ Key: 'team', Value: 'ci' }] },
      { UserName: 'carol' },
      {
        UserName: 'dave',
        managed: [`${AWS}/AWSCodeCommitPowerUser`],
        boundary: 'arn:aws:iam::123456789012:policy/GitBoundary',
      },
    ],
    groups: [
      { GroupName: 'developers', managed: [`${AWS}/AWSCodeCommitPowerUser`] },
      { GroupName: 'admins', managed: [`${AWS}/AdministratorAccess`], inline: { extra: ADMIN } },
    ],
    roles: [{ RoleName: 'build', managed: [`${AWS}/AWSCodeCommitReadOnly`], inline: { pull: GIT_PULL } }],
    policies: [
      { Arn: `${AWS}/AWSCodeCommitPowerUser`, Document: POWER_USER },
      { Arn: `${AWS}/AdministratorAccess`, Document: ADMIN },
      { Arn: `${AWS}/AWSCodeCommitReadOnly`, Document: READ_ONLY },
      // Attached to nothing: IAM leaves it out of GetAccountAuthorizationDetails.
      { Arn: `${AWS}/ReadOnlyAccess`, Document: allow(['*:Get*', '*:List*']) },
      { Arn: 'arn:aws:iam::123456789012:policy/GitBoundary', Document: BOUNDARY_V2, earlier: [BOUNDARY_V1] },
    ],
    credentials: [
      { UserName: 'alice', Status: 'Active' },
      { UserName: 'bob', Status: 'Inactive' },
      { UserName: 'carol', Status: 'Active', ServiceName: 'cassandra.amazonaws.com' },
    ],
    sshKeys: [
      { UserName: 'alice', Status: 'Active' },
      { UserName: 'bob', Status: 'Inactive' },
      { UserName: 'carol', Status: 'Active' },
    ],
    ...extra,
  };
}

const NEEDS = new Set(['alice', 'bob', 'dave']);
const needsSshKeys = (user: IamUserDetail): boolean => NEEDS.has(user.UserName);

describe('collectIam', () => {
  it('reads users, groups, roles and the attached managed policies, documents as plain JSON text', async () => {
    fake = fakeIam(account());
    const data = await collectIam(client(), { needsSshKeys });
    const details = data.AuthorizationDetails;

    expect(details.UserDetailList.map((u) => u.UserName)).toEqual(['alice', 'bob', 'carol', 'dave']);
    const [alice, bob, , dave] = details.UserDetailList;
    expect(alice).toMatchObject({
      UserName: 'alice',
      Arn: 'arn:aws:iam::123456789012:user/alice',
      GroupList: ['developers'],
      CreateDate: '2024-05-06T07:08:09.000Z',
    });
    expect(bob?.UserPolicyList).toEqual([
      { PolicyName: 'git-pull', PolicyDocument: JSON.stringify(GIT_PULL, null, 4) },
    ]);
    expect(JSON.parse(bob?.UserPolicyList?.[0]?.PolicyDocument as string)).toEqual(GIT_PULL);
    expect(bob?.Tags).toEqual([{ Key: 'team', Value: 'ci' }]);
    expect(dave?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/GitBoundary',
    });
    expect(dave?.AttachedManagedPolicies).toEqual([
      { PolicyName: 'AWSCodeCommitPowerUser', PolicyArn: `${AWS}/AWSCodeCommitPowerUser` },
    ]);

    expect(details.GroupDetailList?.map((g) => g.GroupName)).toEqual(['developers', 'admins']);
    expect(JSON.parse(details.GroupDetailList?.[1]?.GroupPolicyList?.[0]?.PolicyDocument as string)).toEqual(ADMIN);
    expect(details.RoleDetailList).toEqual([
      {
        RoleName: 'build',
        RoleId: expect.stringMatching(/^AROA/) as unknown,
        Arn: 'arn:aws:iam::123456789012:role/build',
        Path: '/',
        RolePolicyList: [{ PolicyName: 'pull', PolicyDocument: JSON.stringify(GIT_PULL, null, 4) }],
        AttachedManagedPolicies: [{ PolicyName: 'AWSCodeCommitReadOnly', PolicyArn: `${AWS}/AWSCodeCommitReadOnly` }],
        Tags: [],
      },
    ]);

    // AWS managed policies come only when attached; customer managed ones always (GitBoundary is a boundary only).
    expect(details.Policies?.map((p) => p.Arn)).toEqual([
      `${AWS}/AWSCodeCommitPowerUser`,
      `${AWS}/AdministratorAccess`,
      `${AWS}/AWSCodeCommitReadOnly`,
      'arn:aws:iam::123456789012:policy/GitBoundary',
    ]);
    // The default version only, decoded.
    expect(details.Policies?.[3]).toEqual({
      PolicyName: 'GitBoundary',
      Arn: 'arn:aws:iam::123456789012:policy/GitBoundary',
      DefaultVersionId: 'v2',
      PolicyVersionList: [{ VersionId: 'v2', IsDefaultVersion: true, Document: JSON.stringify(BOUNDARY_V2, null, 4) }],
    });
    expect(JSON.stringify(data)).not.toMatch(/%7B|%22/);

    expect(fake.mock).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, {
      Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'],
      MaxItems: 1000,
    });
  });

  it('lists every user’s CodeCommit HTTPS Git credentials in one call, Active and Inactive', async () => {
    fake = fakeIam(account());
    const data = await collectIam(client(), { needsSshKeys });
    expect(data.ServiceSpecificCredentials).toEqual([
      {
        UserName: 'alice',
        ServiceSpecificCredentialId: 'ACCA00000000000000000',
        ServiceName: 'codecommit.amazonaws.com',
        ServiceUserName: 'alice-at-123456789012',
        Status: 'Active',
        CreateDate: '2024-05-06T07:08:09.000Z',
      },
      expect.objectContaining({ UserName: 'bob', Status: 'Inactive' }) as unknown,
    ]);
    expect(fake.mock).toHaveReceivedCommandWith(ListServiceSpecificCredentialsCommand, {
      ServiceName: 'codecommit.amazonaws.com',
      AllUsers: true,
      MaxItems: 1000,
    });
  });

  it('reads SSH keys only for the users that need them: one ListSSHPublicKeys each, none for the others', async () => {
    fake = fakeIam(account());
    const counter = new CallCounter();
    const seen: string[] = [];
    const data = await collectIam(client(), {
      counter,
      needsSshKeys: (user, read) => {
        // The decision may use what is read already: the authorization details and the Git credentials.
        expect(read.ServiceSpecificCredentials).toHaveLength(2);
        expect(read.AuthorizationDetails.UserDetailList).toHaveLength(4);
        seen.push(user.UserName);
        return needsSshKeys(user);
      },
    });
    expect(seen).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(data.SSHPublicKeys).toEqual([
      {
        UserName: 'alice',
        SSHPublicKeyId: 'APKA0000000000000000',
        Status: 'Active',
        UploadDate: '2024-05-06T07:08:09.000Z',
      },
      {
        UserName: 'bob',
        SSHPublicKeyId: 'APKA0000000000000001',
        Status: 'Inactive',
        UploadDate: '2024-05-06T07:08:09.000Z',
      },
    ]);
    expect(counter.toJSON()).toEqual({
      GetAccountAuthorizationDetails: 1,
      ListSSHPublicKeys: 3, // alice, bob and dave (who has none)
      ListServiceSpecificCredentials: 1,
    });
    const asked = fake.mock.commandCalls(ListSSHPublicKeysCommand).map((c) => c.args[0].input);
    expect(asked).toEqual([
      { UserName: 'alice', MaxItems: 1000 },
      { UserName: 'bob', MaxItems: 1000 },
      { UserName: 'dave', MaxItems: 1000 },
    ]);
  });

  it('makes no ListSSHPublicKeys call when no user needs it', async () => {
    fake = fakeIam(account());
    const counter = new CallCounter();
    const data = await collectIam(client(), { counter, needsSshKeys: () => false });
    expect(data.SSHPublicKeys).toEqual([]);
    expect(counter.counts.has('ListSSHPublicKeys')).toBe(false);
    expect(fake.mock).not.toHaveReceivedCommand(ListSSHPublicKeysCommand);
  });

  it('pages every list on Marker while IsTruncated, at 1,000 items a page', async () => {
    const users = Array.from({ length: 2_150 }, (_, i) => ({ UserName: `user${i}`, groups: ['developers'] }));
    fake = fakeIam(
      account({
        users,
        credentials: users
          .slice(0, 1_200)
          .map((u, i) => ({ UserName: u.UserName, Status: i % 3 ? 'Active' : 'Inactive' })),
        sshKeys: [1, 2, 3].map(() => ({ UserName: 'user7', Status: 'Active' as const })),
        // IAM may return fewer items than MaxItems: the keys come one a page.
        pageSize: { ListSSHPublicKeys: 1 },
      }),
    );
    const counter = new CallCounter();
    const data = await collectIam(client(), { counter, needsSshKeys: (u) => u.UserName === 'user7' });
    // 2,150 users + 2 groups + 1 role + 4 policies = 2,157 items.
    expect(data.AuthorizationDetails.UserDetailList).toHaveLength(2_150);
    expect(data.AuthorizationDetails.Policies).toHaveLength(4);
    expect(data.ServiceSpecificCredentials).toHaveLength(1_200);
    expect(data.SSHPublicKeys.map((k) => k.UserName)).toEqual(['user7', 'user7', 'user7']);
    expect(counter.toJSON()).toEqual({
      GetAccountAuthorizationDetails: 3,
      ListSSHPublicKeys: 3,
      ListServiceSpecificCredentials: 2,
    });
    for (const call of fake.mock.calls()) expect((call.args[0].input as { MaxItems?: number }).MaxItems).toBe(1000);
  });

  it('lets errors propagate (the caller records an iam collection error)', async () => {
    const denied = iamError(
      'AccessDenied',
      'User: arn:aws:sts::123456789012:assumed-role/auditor/scan is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *',
    );
    fake = fakeIam(account({ failures: { GetAccountAuthorizationDetails: denied } }));
    await expect(collectIam(client(), { needsSshKeys })).rejects.toMatchObject({ name: 'AccessDenied' });
    fake.mock.restore();
    fake = fakeIam(account({ failures: { ListSSHPublicKeys: iamError('AccessDenied', 'denied') } }));
    await expect(collectIam(client(), { needsSshKeys })).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('returns data that survives a JSON round trip unchanged (what --save-inventory writes)', async () => {
    fake = fakeIam(account());
    const data = await collectIam(client(), { needsSshKeys });
    expect(JSON.parse(JSON.stringify(data)) as IamData).toEqual(data);
  });
});

describe('decodePolicyDocument', () => {
  it('decodes IAM’s URL-encoded JSON and keeps plain JSON and objects', () => {
    const document =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codecommit:Git*","Resource":"*"}]}';
    expect(decodePolicyDocument(encodeURIComponent(document))).toBe(document);
    expect(decodePolicyDocument(document)).toBe(document);
    // Plain JSON whose values hold a percent sign are not URL-encoded text.
    expect(decodePolicyDocument('{"Sid":"100%"}')).toBe('{"Sid":"100%"}');
    const object = { Version: '2012-10-17', Statement: [] };
    expect(decodePolicyDocument(object)).toBe(object);
    // Lower-case escapes.
    expect(decodePolicyDocument('%7b%22a%22%3A1%7d')).toBe('{"a":1}');
    // Not decodable: kept as it is.
    expect(decodePolicyDocument('%7B%22a%22%3A%E0%A4%A%7D')).toBe('%7B%22a%22%3A%E0%A4%A%7D');
  });
});
