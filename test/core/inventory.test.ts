import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertDistinctScopes, parseInventory } from '../../functions/core/inventory';
import { InventoryError } from '../../functions/core/errors';

const minimal = { accountId: '123456789012', region: 'us-east-2', vpcs: [], vpcEndpoints: [] };

function text(value: unknown): string {
  return JSON.stringify(value);
}

describe('parseInventory', () => {
  it('reads one object or an array of them', () => {
    expect(parseInventory(text(minimal), 'f.json')).toHaveLength(1);
    expect(parseInventory(text([minimal, { ...minimal, region: 'eu-west-1' }]), 'f.json')).toHaveLength(2);
  });

  it('reads the demo inventory', () => {
    const scopes = parseInventory(readFileSync('events/demo-inventory.json', 'utf8'), 'demo');
    expect(scopes.map((s) => `${s.accountId} ${s.region}`)).toEqual([
      '123456789012 us-east-2',
      '123456789012 eu-west-1',
      '123456789012 af-south-1',
      '210987654321 us-east-2',
    ]);
    expect(scopes[0]?.organization?.Parents.map((p) => p.Id)).toEqual(['r-ab12', 'ou-ab12-11111111']);
    expect(scopes[0]?.iam?.AuthorizationDetails.UserDetailList.map((u) => u.UserName)).toEqual([
      'alice',
      'ci-legacy',
      'auditor',
    ]);
    expect(scopes[1]?.organization).toBeUndefined();
  });

  it('ignores unknown fields and keeps optional data absent when not given', () => {
    const [scope] = parseInventory(text({ ...minimal, extra: 1, vpcs: [{ VpcId: 'vpc-1', Foo: 'bar' }] }), 'f.json');
    expect(scope?.vpcs[0]?.VpcId).toBe('vpc-1');
    expect(scope?.securityGroups).toBeUndefined();
    expect(scope?.subnets).toBeUndefined();
    expect(scope?.endpointServices).toBeUndefined();
  });

  it.each([
    ['{not json', /^f\.json is not valid JSON: /],
    [text(42), 'f.json: an inventory entry must be a JSON object (number 42)'],
    [
      text({ ...minimal, accountId: undefined }),
      'f.json: field "accountId" must be a 12-digit AWS account id as a string (missing)',
    ],
    [
      text({ ...minimal, accountId: 123456789012 }),
      'f.json: field "accountId" must be a 12-digit AWS account id as a string (number 123456789012)',
    ],
    [
      text({ ...minimal, region: 'Ohio' }),
      'f.json: field "region" must be an AWS region code such as us-east-2 (string "Ohio")',
    ],
    [text({ ...minimal, vpcs: undefined }), 'f.json (123456789012 us-east-2): field "vpcs" must be an array (missing)'],
    [
      text({ ...minimal, vpcs: [{ CidrBlock: '10.0.0.0/16' }] }),
      'f.json (123456789012 us-east-2): vpcs[0]: field "VpcId" must be a non-empty string (missing)',
    ],
    [
      text({
        ...minimal,
        vpcEndpoints: [{ VpcEndpointType: 'Interface', VpcId: 'vpc-1', ServiceName: 's', State: 'available' }],
      }),
      'f.json (123456789012 us-east-2): vpcEndpoints[0]: field "VpcEndpointId" must be a non-empty string (missing)',
    ],
    [
      text({
        ...minimal,
        vpcEndpoints: [{ VpcEndpointId: 'vpce-1', VpcEndpointType: 'Interface', VpcId: 'vpc-1', State: 'available' }],
      }),
      'f.json (123456789012 us-east-2): vpcEndpoints[0] (vpce-1): field "ServiceName" must be a non-empty string (missing)',
    ],
    [
      text({
        ...minimal,
        vpcEndpoints: [
          {
            VpcEndpointId: 'vpce-1',
            VpcEndpointType: 'Interface',
            VpcId: 'vpc-1',
            ServiceName: 's',
            State: 'available',
            PrivateDnsEnabled: 'yes',
          },
        ],
      }),
      'vpcEndpoints[0] (vpce-1): field "PrivateDnsEnabled" must be a boolean (string "yes")',
    ],
    [text({ ...minimal, vpcs: [{ VpcId: 'vpc-1' }, { VpcId: 'vpc-1' }] }), 'vpcs[1]: VPC vpc-1 is listed twice'],
    [
      text({ ...minimal, subnets: [{ VpcId: 'vpc-1' }] }),
      'subnets[0]: field "SubnetId" must be a non-empty string (missing)',
    ],
    [
      text({ ...minimal, endpointServices: 'com.amazonaws.us-east-2.codecommit' }),
      'field "endpointServices" must be an array of service-name strings',
    ],
    [text([minimal, 'x']), 'f.json[1]: an inventory entry must be a JSON object (string "x")'],
  ])('rejects %s', (input, message) => {
    expect(() => parseInventory(input, 'f.json')).toThrow(InventoryError);
    expect(() => parseInventory(input, 'f.json')).toThrow(message);
  });

  it('refuses the same account-region twice', () => {
    const scopes = parseInventory(text([minimal, minimal]), 'f.json');
    expect(() => assertDistinctScopes(scopes)).toThrow(
      'account-region 123456789012 us-east-2 appears more than once in the inventory',
    );
  });
});
