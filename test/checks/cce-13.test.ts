/**
 * CCE.13 on IAM users with CodeCommit Git credentials. Each case states the verdict expected,
 * and why, as written before it was first run.
 */
import { describe, expect, it } from 'vitest';
import { only, run, scope } from '../fixtures/builders';
import { CORPORATE, dataPerimeterScp } from '../fixtures/scp';
import { ACCOUNT, accountScope, ALLOW_CODECOMMIT, httpsCredential, iam, organization, user } from './network-helpers';

const TRUSTED = { trustedCidrs: CORPORATE };
const PULL_FROM_OFFICE = JSON.stringify({
  Statement: [
    {
      Effect: 'Allow',
      Action: 'codecommit:GitPull',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': CORPORATE } },
    },
  ],
});
const CLOSED_SCP = JSON.stringify({
  Statement: [
    {
      Sid: 'CodeCommitFromOurNetworks',
      Effect: 'Deny',
      Action: 'codecommit:*',
      Resource: '*',
      Condition: { NotIpAddressIfExists: { 'aws:SourceIp': CORPORATE }, Null: { 'aws:SourceVpce': 'true' } },
    },
  ],
});

const alice = (extra = {}) =>
  user('alice', { UserPolicyList: [{ PolicyName: 'code', PolicyDocument: ALLOW_CODECOMMIT }], ...extra });
const judge = (inventory: Parameters<typeof run>[1], name = 'alice') => only(run('CCE.13', inventory, TRUSTED), name);

describe('CCE.13 Git credentials usable from anywhere', () => {
  // No active credential: nothing to misuse.
  it('is not applicable to a user without an active Git credential (an inactive one does not count)', () => {
    const data = iam([alice()], { ServiceSpecificCredentials: [httpsCredential('alice', 'ACCAOLD', 'Inactive')] });
    const f = judge(accountScope({ organization: organization(), iam: data }));
    expect(f).toMatchObject({
      status: 'NOT_APPLICABLE',
      resourceType: 'AWS::IAM::User',
      resourceArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    });
    expect(f.message).toBe('User alice has no active CodeCommit Git credential (HTTPS or SSH).');
  });

  // An active HTTPS credential, codecommit:* allowed, only FullAWSAccess SCPs: usable from anywhere.
  it('fails an active HTTPS credential that works from anywhere, naming it, with the deactivation command', () => {
    const data = iam([alice()], { ServiceSpecificCredentials: [httpsCredential('alice', 'ACCAEXAMPLE1')] });
    const f = judge(accountScope({ organization: organization(), iam: data }));
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(f.message).toBe(
      'User alice\'s HTTPS credential ACCAEXAMPLE1 (2025-03-04) works from anywhere: inline policy "code" allows codecommit:GitPull; nothing denies codecommit:GitPull from 198.18.0.1 through no VPC endpoint.',
    );
    expect(f.remediation).toContain(
      'aws iam update-service-specific-credential --user-name alice --service-specific-credential-id ACCAEXAMPLE1 --status Inactive',
    );
  });

  // The same user under an SCP that denies CodeCommit from outside: PASSED, naming the SCP.
  it('passes when an SCP denies requests from outside your networks', () => {
    const data = iam([alice()], { ServiceSpecificCredentials: [httpsCredential('alice', 'ACCAEXAMPLE1')] });
    const f = judge(
      accountScope({ organization: organization([{ name: 'codecommit-perimeter', content: CLOSED_SCP }]), iam: data }),
    );
    expect(f.status).toBe('PASSED');
    expect(f.message).toContain(
      'cannot be used from outside your networks: statement "CodeCommitFromOurNetworks" of SCP "codecommit-perimeter"',
    );
  });

  // An SSH key, Git allowed through a group's managed policy (URL-encoded, as the IAM API returns it): FAILED.
  it('fails an active SSH key allowed through a group managed policy (URL-encoded document)', () => {
    const arn = 'arn:aws:iam::aws:policy/AWSCodeCommitPowerUser';
    const data = iam(
      [user('bob', { GroupList: ['developers'] })],
      {
        SSHPublicKeys: [
          { UserName: 'bob', SSHPublicKeyId: 'APKAEXAMPLE', Status: 'Active', UploadDate: '2023-05-06T00:00:00Z' },
        ],
      },
      {
        GroupDetailList: [
          {
            GroupName: 'developers',
            AttachedManagedPolicies: [{ PolicyName: 'AWSCodeCommitPowerUser', PolicyArn: arn }],
          },
        ],
        Policies: [
          {
            PolicyName: 'AWSCodeCommitPowerUser',
            Arn: arn,
            DefaultVersionId: 'v1',
            PolicyVersionList: [
              { VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(ALLOW_CODECOMMIT) },
            ],
          },
        ],
      },
    );
    const f = judge(accountScope({ organization: organization(), iam: data }), 'bob');
    expect(f.status).toBe('FAILED');
    expect(f.message).toMatch(
      /^User bob's SSH key APKAEXAMPLE \(2023-05-06\) works from anywhere: group developers's policy "AWSCodeCommitPowerUser" allows/,
    );
  });

  // Git allowed only from the office CIDR (trusted): no request from outside is allowed.
  it('passes a user whose policy allows Git only from trustedCidrs', () => {
    const data = iam(
      [user('carol', { UserPolicyList: [{ PolicyName: 'office', PolicyDocument: PULL_FROM_OFFICE }] })],
      {
        ServiceSpecificCredentials: [httpsCredential('carol', 'ACCACAROL')],
      },
    );
    const f = judge(accountScope({ organization: organization(), iam: data }), 'carol');
    expect(f.status).toBe('PASSED');
    expect(f.message).toContain('no policy of the identity policies of carol allows codecommit:GitPull');
  });

  // A permissions boundary that allows only EC2: Git is out of reach whatever the identity policy says.
  it('passes a user whose permissions boundary does not allow Git', () => {
    const boundary = 'arn:aws:iam::123456789012:policy/ec2-only';
    const data = iam(
      [alice({ PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary } })],
      { ServiceSpecificCredentials: [httpsCredential('alice', 'ACCAEXAMPLE1')] },
      {
        Policies: [
          {
            PolicyName: 'ec2-only',
            Arn: boundary,
            DefaultVersionId: 'v2',
            PolicyVersionList: [
              {
                VersionId: 'v2',
                IsDefaultVersion: true,
                Document: '{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}',
              },
            ],
          },
        ],
      },
    );
    expect(judge(accountScope({ organization: organization(), iam: data })).status).toBe('PASSED');
  });

  // The DP sourcevpc SCP applies to principals tagged dp:include:network=true: the user's own tags decide.
  it("judges a tag-scoped SCP on the user's own tags", () => {
    const scp = [{ name: 'dp-network', content: dataPerimeterScp('network_perimeter_sourcevpc_scp.json') }];
    const credentials = { ServiceSpecificCredentials: [httpsCredential('alice', 'ACCAEXAMPLE1')] };
    const tagged = iam([alice({ Tags: [{ Key: 'dp:include:network', Value: 'true' }] })], credentials);
    expect(judge(accountScope({ organization: organization(scp), iam: tagged })).status).toBe('PASSED');
    const untagged = iam([alice()], credentials);
    expect(judge(accountScope({ organization: organization(scp), iam: untagged })).status).toBe('FAILED');
  });

  // Without the SCPs, a user the identity policies already deny is PASSED; one they allow is ERROR.
  it('is ERROR only where the missing SCPs would decide', () => {
    const data = iam(
      [alice(), user('dave', { UserPolicyList: [{ PolicyName: 'office', PolicyDocument: PULL_FROM_OFFICE }] })],
      { ServiceSpecificCredentials: [httpsCredential('alice', 'ACCAEXAMPLE1'), httpsCredential('dave', 'ACCADAVE')] },
    );
    const findings = run('CCE.13', accountScope({ iam: data }), TRUSTED);
    expect(findings.map((f) => `${f.resourceId} ${f.status}`)).toEqual(['alice ERROR', 'dave PASSED']);
  });

  it('is ERROR naming a managed policy that was not collected', () => {
    const data = iam([alice({ AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/Missing' }] })], {
      ServiceSpecificCredentials: [httpsCredential('alice', 'ACCAEXAMPLE1')],
    });
    const f = judge(accountScope({ organization: organization(), iam: data }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('arn:aws:iam::aws:policy/Missing is not in the collected managed policies');
  });

  it('is one ERROR for the account when IAM was not collected', () => {
    const findings = run('CCE.13', scope('us-east-2'), TRUSTED);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'ERROR', resourceId: '*' });
  });
});
