/**
 * CCE.12 on SCP chains, with AWS's data-perimeter SCPs as given and with codecommit:* added.
 * Each case states the verdict expected, and why, as written before it was first run.
 */
import { describe, expect, it } from 'vitest';
import { only, run, scope } from '../fixtures/builders';
import { CORPORATE, dataPerimeterScp } from '../fixtures/scp';
import { ACCOUNT, accountScope, ALLOW_CODECOMMIT, iam, organization, user } from './network-helpers';

const TRUSTED = { trustedCidrs: CORPORATE };
const judge = (inventory: Parameters<typeof run>[1], params: Record<string, string> = TRUSTED) =>
  only(run('CCE.12', inventory, params), ACCOUNT);

describe('CCE.12 the organization keeps CodeCommit inside your networks', () => {
  // No organization data collected: ERROR, never a guess.
  it('is ERROR when the SCPs were not collected', () => {
    const f = judge(accountScope({ iam: iam([]) }));
    expect(f).toMatchObject({
      status: 'ERROR',
      resourceType: 'AWS::::Account',
      resourceArn: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(f.message).toMatch(/^Data not collected: the inventory has no SCPs of the organization/);
  });

  it('is ERROR naming the code when reading the SCPs was denied', () => {
    const f = judge(
      scope('us-east-2', {
        collectionErrors: [
          { data: 'organization', operation: 'ListParents', code: 'AccessDeniedException', message: 'not allowed' },
        ],
      }),
    );
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('ListParents failed with AccessDeniedException');
    expect(f.remediation).toContain('organizations:ListParents');
  });

  // An account outside any organization has no SCP at all: nothing keeps it in.
  it('fails an account in no organization', () => {
    const f = judge(accountScope({ organization: null }));
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(f.message).toBe(
      `Account ${ACCOUNT} belongs to no organization: no SCP keeps its CodeCommit requests inside your networks.`,
    );
  });

  // FullAWSAccess alone denies nothing: HIGH, with a proven SCP to attach.
  it('fails FullAWSAccess alone, offering the SCP to attach to its OU', () => {
    const f = judge(accountScope({ organization: organization() }));
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(f.message).toBe(
      `Account ${ACCOUNT} lets CodeCommit be used from outside your networks: nothing denies codecommit:GitPull from 198.18.0.1 through no VPC endpoint.`,
    );
    expect(f.remediation).toContain('aws organizations create-policy --type SERVICE_CONTROL_POLICY');
    expect(f.remediation).toContain('--target-id ou-ab12-11111111');
    expect(f.remediation).toContain('"aws:SourceIp":["198.51.100.0/24"]');
  });

  // The proposed SCP, attached: both Git and API requests from outside are denied, by its statement.
  it('passes with the SCP it proposes attached', () => {
    const proposed =
      /--content '([^']+)'/.exec(judge(accountScope({ organization: organization() })).remediation)?.[1] ?? '';
    const f = judge(
      accountScope({ organization: organization([{ name: 'codecommit-network-perimeter', content: proposed }]) }),
    );
    expect(f.status).toBe('PASSED');
    expect(f.message).toBe(
      `Account ${ACCOUNT}'s SCPs deny CodeCommit requests from outside your networks: statement "EnforceNetworkPerimeterOnCodeCommit" of SCP "codecommit-network-perimeter" denies Git and API requests.`,
    );
  });

  // AWS's sourcevpc SCP covers CodeCommit (NotAction) but only for principals tagged dp:include:network
  // and not dp:exclude:network: a documented exception, FAILED LOW until both tags are accepted.
  it('network_perimeter_sourcevpc_scp: FAILED LOW as a tag exception, PASSED once its tags are accepted', () => {
    const inventory = accountScope({
      organization: organization([
        { name: 'dp-network', content: dataPerimeterScp('network_perimeter_sourcevpc_scp.json') },
      ]),
    });
    const f = judge(inventory);
    expect(f).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    expect(f.message).toMatch(
      /except for principals (not tagged dp:include:network=true|tagged dp:exclude:network=true)/,
    );
    const accepted = judge(inventory, { ...TRUSTED, perimeterExceptionTags: 'dp:exclude:network,dp:include:network' });
    expect(accepted.status).toBe('PASSED');
    expect(accepted.message).toContain('an exception accepted by perimeterExceptionTags');
  });

  // AWS's vpceorgid SCP lists 48 services, not CodeCommit: FAILED HIGH as given; with codecommit:* added,
  // the same as the sourcevpc SCP.
  it('network_perimeter_vpceorgid_scp: FAILED HIGH as given, PASSED with codecommit:* added and its tags accepted', () => {
    const given = judge(
      accountScope({
        organization: organization([
          { name: 'dp-vpceorgid', content: dataPerimeterScp('network_perimeter_vpceorgid_scp.json') },
        ]),
      }),
    );
    expect(given).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    const added = accountScope({
      organization: organization([
        { name: 'dp-vpceorgid', content: dataPerimeterScp('network_perimeter_vpceorgid_scp.json', true) },
      ]),
    });
    expect(judge(added)).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    expect(judge(added, { ...TRUSTED, perimeterExceptionTags: 'dp:exclude:network,dp:include:network' }).status).toBe(
      'PASSED',
    );
  });

  // The corporate CIDR the SCP exempts is not declared as yours: requests from it count as outside.
  it('names the exempted CIDR that trustedCidrs does not list', () => {
    const inventory = accountScope({
      organization: organization([
        { name: 'dp-network', content: dataPerimeterScp('network_perimeter_sourcevpc_scp.json') },
      ]),
    });
    const f = judge(inventory, { perimeterExceptionTags: 'dp:exclude:network,dp:include:network' });
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(f.message).toContain('exempts 198.51.100.0/24, which trustedCidrs does not list');
  });

  // SCPs never apply to the management account: its identity policies decide.
  it('judges the management account on its identity policies, and says so', () => {
    const admin = user('admin', { UserPolicyList: [{ PolicyName: 'code', PolicyDocument: ALLOW_CODECOMMIT }] });
    const f = judge(accountScope({ organization: organization([], ACCOUNT), iam: iam([admin]) }));
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(f.message).toMatch(
      /^SCPs never apply to management account 123456789012; judged on its identity policies only: user admin may use codecommit:GitPull/,
    );
    const noIam = judge(accountScope({ organization: organization([], ACCOUNT) }));
    expect(noIam.status).toBe('ERROR');
    const nobody = judge(accountScope({ organization: organization([], ACCOUNT), iam: iam([user('reader')]) }));
    expect(nobody.status).toBe('PASSED');
  });

  it('is ERROR naming an SCP that cannot be read', () => {
    const f = judge(
      accountScope({ organization: organization([{ name: 'broken', content: '{"Statement": "nope"}' }]) }),
    );
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('SCP "broken" cannot be read');
  });

  it('answers once per account, on the scope that carries its account-level data', () => {
    const findings = run('CCE.12', [
      scope('eu-west-1'),
      accountScope({ organization: organization() }),
      { ...scope('eu-west-1'), accountId: '210987654321' },
    ]);
    expect(findings.map((f) => `${f.accountId} ${f.region} ${f.status}`)).toEqual([
      '123456789012 us-east-2 FAILED',
      '210987654321 eu-west-1 ERROR',
    ]);
  });
});
