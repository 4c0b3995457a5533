/**
 * Requests from outside your networks through SCP chains and identity policies (CCE.12,
 * CCE.13), on AWS's published data-perimeter SCPs. The verdict expected for each case is
 * written beside it, with the reason, before the case was first run.
 */
import { describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from '../../functions/core/cidr';
import { parsePolicy } from '../../functions/policy/parse';
import {
  GIT_ACTIONS,
  API_ACTIONS,
  networkPerimeter,
  requestFromOutside,
  type Gate,
  type RequestSetting,
} from '../../functions/policy/requests';
import { CORPORATE, dataPerimeterScp } from '../fixtures/scp';

const FULL_AWS_ACCESS = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

function attached(text: string, label: string) {
  const parsed = parsePolicy(text, 'attached');
  if (!parsed.ok) throw new Error(parsed.error);
  return { label, policy: parsed.policy };
}

/** Root and OU with FullAWSAccess, the OU also with `scp`; the account with FullAWSAccess. */
function chain(...scps: string[]): Gate[] {
  return [
    { label: 'root r-ab12', policies: [attached(FULL_AWS_ACCESS, 'FullAWSAccess on r-ab12')] },
    {
      label: 'ou-ab12-11111111',
      policies: [
        attached(FULL_AWS_ACCESS, 'FullAWSAccess on ou-ab12-11111111'),
        ...scps.map((scp, i) => attached(scp, `SCP ${i} on ou-ab12-11111111`)),
      ],
    },
    { label: 'account 111122223333', policies: [attached(FULL_AWS_ACCESS, 'FullAWSAccess on 111122223333')] },
  ];
}

function setting(trusted: string[] = [CORPORATE]): RequestSetting {
  return {
    accountId: '111122223333',
    region: 'us-east-2',
    partition: 'aws',
    organization: { id: 'o-a1b2c3d4e5', path: 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/' },
    trustedCidrs: trusted.map((t) => parseCidr(t) as Cidr),
  };
}

const ALL = [...GIT_ACTIONS, ...API_ACTIONS];
const judge = (gates: Gate[], accepted: string[] = [], trusted?: string[]) =>
  networkPerimeter(gates, ALL, setting(trusted), accepted);

describe('requests from outside your networks through SCPs', () => {
  // Nothing but FullAWSAccess: nothing denies. Open, by the first action tried (GitPull).
  it('FullAWSAccess alone: open', () => {
    const result = judge(chain());
    expect(result.state).toBe('open');
    expect(result.passage?.action).toBe('codecommit:GitPull');
  });

  // The sourcevpc SCP denies every action but its NotAction list (codecommit included) unless the
  // request comes from the corporate CIDR or the VPC, for principals tagged dp:include:network and
  // not dp:exclude:network. Untagged or excluded principals escape: a tag-scoped exception.
  it('network_perimeter_sourcevpc_scp as given: an exception by principal tags', () => {
    const result = judge(chain(dataPerimeterScp('network_perimeter_sourcevpc_scp.json')));
    expect(result.state).toBe('exception');
    expect(result.passage?.tags.some((t) => t.startsWith('dp:'))).toBe(true);
  });

  it('… accepted when both of its tags are listed in perimeterExceptionTags; one of them is not enough', () => {
    const gates = chain(dataPerimeterScp('network_perimeter_sourcevpc_scp.json'));
    expect(judge(gates, ['dp:exclude:network', 'dp:include:network']).state).toBe('accepted');
    expect(judge(gates, ['dp:exclude:network']).state).toBe('exception');
  });

  // The vpceorgid SCP lists 48 service prefixes, not codecommit: it does not cover CodeCommit. Open.
  it('network_perimeter_vpceorgid_scp as given: open (codecommit is not in its action list)', () => {
    expect(judge(chain(dataPerimeterScp('network_perimeter_vpceorgid_scp.json'))).state).toBe('open');
  });

  // With codecommit:* added it covers CodeCommit like the sourcevpc SCP: the tag exception only.
  it('network_perimeter_vpceorgid_scp with codecommit:* added: closed but for its tag exception', () => {
    const gates = chain(dataPerimeterScp('network_perimeter_vpceorgid_scp.json', true));
    expect(judge(gates).state).toBe('exception');
    expect(judge(gates, ['dp:exclude:network', 'dp:include:network']).state).toBe('accepted');
  });

  // Without trustedCidrs, the corporate CIDR the SCP exempts is not "yours": a request from it escapes.
  it('an SCP exempting a CIDR that trustedCidrs does not list: open, from that CIDR', () => {
    const result = judge(
      chain(dataPerimeterScp('network_perimeter_sourcevpc_scp.json')),
      ['dp:exclude:network', 'dp:include:network'],
      [],
    );
    expect(result.state).toBe('open');
    expect(result.passage?.sourceIp).toBe('198.51.100.0');
  });

  // The IAM-users SCP applies to ARNs like user/*: roles escape it. Open, by a role.
  it('network_perimeter_iam_users_scp: open to roles', () => {
    const result = judge(chain(dataPerimeterScp('network_perimeter_iam_users_scp.json')));
    expect(result.state).toBe('open');
    expect(result.passage?.principal.type).toBe('AssumedRole');
  });

  // A Deny of codecommit:* unless through an endpoint, from a trusted CIDR or via an AWS service: closed.
  it('a CodeCommit network-perimeter SCP: closed, naming it', () => {
    const scp = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EnforceNetworkPerimeterOnCodeCommit',
          Effect: 'Deny',
          Action: 'codecommit:*',
          Resource: '*',
          Condition: {
            NotIpAddressIfExists: { 'aws:SourceIp': [CORPORATE] },
            Null: { 'aws:SourceVpce': 'true' },
            BoolIfExists: { 'aws:ViaAWSService': 'false' },
          },
        },
      ],
    });
    const result = judge(chain(scp));
    expect(result.state).toBe('closed');
    expect(result.blocked[0]?.deniedBy?.statement.sid).toBe('EnforceNetworkPerimeterOnCodeCommit');
  });

  // An OU whose SCPs allow only EC2 (no FullAWSAccess): CodeCommit is denied implicitly there. Closed.
  it('an allow-list SCP without CodeCommit: closed, no Allow at that level', () => {
    const gates = chain();
    gates[1] = {
      label: 'ou-ab12-11111111',
      policies: [attached('{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}', 'AllowEc2')],
    };
    const result = judge(gates);
    expect(result.state).toBe('closed');
    expect(result.blocked[0]?.noAllowIn).toBe('ou-ab12-11111111');
  });

  // Git denied from outside but the API left open: open through an API action.
  it('a Deny of Git actions only: open through the API', () => {
    const scp = JSON.stringify({
      Statement: [
        {
          Effect: 'Deny',
          Action: ['codecommit:GitPull', 'codecommit:GitPush'],
          Resource: '*',
          Condition: { Null: { 'aws:SourceVpce': 'true' } },
        },
      ],
    });
    const result = judge(chain(scp));
    expect(result.state).toBe('open');
    expect(result.passage?.action.startsWith('codecommit:Git')).toBe(false);
  });
});

describe('requests by one user, with known tags', () => {
  it('judges the user’s own tags: an excluded user escapes, an included one does not', () => {
    const gates = chain(dataPerimeterScp('network_perimeter_sourcevpc_scp.json'));
    const user = { arn: 'arn:aws:iam::111122223333:user/alice', type: 'User' as const, userName: 'alice' };
    const s = { ...setting(), principals: [user] };
    const included = new Map([['dp:include:network', 'true']]);
    expect(requestFromOutside(gates, GIT_ACTIONS, s, included).passage).toBeUndefined();
    expect(requestFromOutside(gates, GIT_ACTIONS, s, new Map()).passage).toBeDefined();
  });
});
