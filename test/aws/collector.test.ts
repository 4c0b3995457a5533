import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../functions/checks/index';
import { CallCounter } from '../../functions/core/call-counter';
import { collectScope, vpcsNeedingRouteTables } from '../../functions/aws/collector';
import { evaluate } from '../../functions/core/engine';
import { parseParams } from '../../functions/core/params';
import {
  awsError,
  fakeEc2,
  SYNTHETIC_TGW,
  syntheticDefaultRoute,
  syntheticRegion,
  type FakeRegion,
} from '../fixtures/fake-ec2';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { CHECK_IDS } from '../../functions/checks/index';

let mock: AwsClientStub<EC2Client> | undefined;
afterEach(() => mock?.restore());

function client(region: string): EC2Client {
  return new EC2Client({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } });
}

describe('collectScope', () => {
  it('reads 2,500 VPCs and 7,000 endpoints in 3 + 7 pages, with server-side filters', async () => {
    mock = fakeEc2({ 'us-east-2': syntheticRegion('us-east-2', 2500, 7000) });
    const counter = new CallCounter();
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2', { counter });

    expect(scope.vpcs).toHaveLength(2500);
    expect(scope.vpcEndpoints).toHaveLength(7000);
    expect(scope.securityGroups).toHaveLength(7000);
    expect(scope.subnets).toHaveLength(14000);
    expect(scope.collectionErrors).toBeUndefined();
    // Each VPC has endpoints of one kind only (Git or API): every VPC needs its route tables, 3,125 of them
    // (every fourth VPC has two); per filter of 200 VPCs 250 tables in pages of 100, the last 100 VPCs 125.
    expect(scope.routeTables).toHaveLength(3125);
    expect(counter.toJSON()).toEqual({
      DescribeRouteTables: 12 * 3 + 2,
      DescribeSecurityGroups: 35, // 7,000 group ids in filters of 200
      DescribeSubnets: 70, // 14,000 subnet ids in filters of 200
      DescribeVpcEndpointServices: 1,
      DescribeVpcEndpoints: 7,
      DescribeVpcs: 3,
    });
    expect(mock).toHaveReceivedCommandTimes(DescribeVpcsCommand, 3);
    expect(mock).toHaveReceivedCommandWith(DescribeVpcsCommand, { MaxResults: 1000 });
    expect(mock).toHaveReceivedCommandWith(DescribeVpcEndpointsCommand, {
      MaxResults: 1000,
      Filters: [
        {
          Name: 'service-name',
          Values: [
            'com.amazonaws.us-east-2.git-codecommit',
            'com.amazonaws.us-east-2.git-codecommit-fips',
            'com.amazonaws.us-east-2.codecommit',
            'com.amazonaws.us-east-2.codecommit-fips',
          ],
        },
      ],
    });
    expect(new Set(scope.vpcEndpoints.map((e) => e.VpcEndpointId)).size).toBe(7000);
    expect(mock).toHaveReceivedCommandWith(DescribeVpcEndpointServicesCommand, { MaxResults: 1000 });
  });

  it('asks for no groups or subnets when there are no CodeCommit endpoints', async () => {
    mock = fakeEc2({ 'eu-west-1': { ...syntheticRegion('eu-west-1', 3, 0) } });
    const counter = new CallCounter();
    const scope = await collectScope(client('eu-west-1'), '123456789012', 'eu-west-1', { counter });
    expect(scope.vpcEndpoints).toEqual([]);
    expect(scope.securityGroups).toEqual([]);
    expect(scope.subnets).toEqual([]);
    expect(scope.routeTables?.map((t) => t.VpcId)).toEqual([
      'vpc-00000000',
      'vpc-00000001',
      'vpc-00000002',
      'vpc-00000002',
    ]);
    expect(counter.toJSON()).toEqual({
      DescribeRouteTables: 1,
      DescribeVpcEndpointServices: 1,
      DescribeVpcEndpoints: 1,
      DescribeVpcs: 1,
    });
    expect(mock).not.toHaveReceivedCommand(DescribeSecurityGroupsCommand);
    expect(mock).not.toHaveReceivedCommand(DescribeSubnetsCommand);
  });

  it('filters on both China service-name forms', async () => {
    mock = fakeEc2({ 'cn-north-1': syntheticRegion('cn-north-1', 2, 4, 'cn.com.amazonaws.') });
    const scope = await collectScope(client('cn-north-1'), '123456789012', 'cn-north-1');
    expect(scope.vpcEndpoints).toHaveLength(4);
    expect(scope.endpointServices).toHaveLength(4);
    const filter = mock.commandCalls(DescribeVpcEndpointsCommand)[0]?.args[0].input.Filters?.[0];
    expect(filter?.Name).toBe('service-name');
    expect(filter?.Values).toEqual(
      expect.arrayContaining(['cn.com.amazonaws.cn-north-1.git-codecommit', 'com.amazonaws.cn-north-1.git-codecommit']),
    );
    expect(filter?.Values).toHaveLength(8);
    const findings = evaluate([scope], parseParams({}, CHECK_IDS), CATALOGUE);
    expect(findings.every((f) => f.resourceArn.startsWith('arn:aws-cn:'))).toBe(true);
    const ec2 = findings.filter((f) => f.resourceType.startsWith('AWS::EC2::'));
    expect(ec2.length).toBeGreaterThan(0);
    expect(ec2.every((f) => f.resourceArn.startsWith('arn:aws-cn:ec2:cn-north-1:'))).toBe(true);
  });

  it('turns AccessDenied on DescribeSecurityGroups into ERROR for CCE.10 only', async () => {
    const data = syntheticRegion('us-east-2', 2, 4);
    data.failures = {
      DescribeSecurityGroups: awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    };
    mock = fakeEc2({ 'us-east-2': data });
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2');
    expect(scope.collectionErrors).toEqual([
      {
        data: 'securityGroups',
        operation: 'DescribeSecurityGroups',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
      },
    ]);
    expect(scope.securityGroups).toBeUndefined();
    const findings = evaluate([scope], parseParams({}, CHECK_IDS), CATALOGUE);
    // Among the checks of the EC2 data collectScope gathers (the account-level ones need organization and IAM data).
    const errors = findings.filter((f) => f.status === 'ERROR' && f.resourceType.startsWith('AWS::EC2::'));
    expect([...new Set(errors.map((f) => f.checkId))]).toEqual(['CCE.10']);
  });

  it('falls back to the built-in lists when DescribeVpcEndpointServices is denied', async () => {
    const data = syntheticRegion('us-east-2', 1, 1);
    data.failures = { DescribeVpcEndpointServices: awsError('UnauthorizedOperation', 'denied') };
    mock = fakeEc2({ 'us-east-2': data });
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2');
    expect(scope.endpointServices).toBeUndefined();
    expect(scope.collectionErrors?.[0]?.data).toBe('endpointServices');
    expect(evaluate([scope], parseParams({ checks: 'CCE.1' }, CHECK_IDS), CATALOGUE)[0]?.status).toBe('PASSED');
  });

  it('marks a disabled region as a lost scope and stops calling it', async () => {
    const data = syntheticRegion('ap-east-1', 1, 1);
    data.failures = {
      DescribeVpcs: awsError(
        'OptInRequired',
        'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.',
      ),
    };
    mock = fakeEc2({ 'ap-east-1': data });
    const counter = new CallCounter();
    const scope = await collectScope(client('ap-east-1'), '123456789012', 'ap-east-1', { counter });
    expect(scope.collectionErrors).toEqual([
      {
        data: 'scope',
        operation: 'DescribeVpcs',
        code: 'OptInRequired',
        message: 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.',
      },
    ]);
    expect(counter.toJSON()).toEqual({});
    const findings = evaluate([scope], parseParams({}, CHECK_IDS), CATALOGUE);
    expect(findings).toHaveLength(CATALOGUE.length);
    expect(findings.every((f) => f.status === 'ERROR' && f.message.includes('OptInRequired'))).toBe(true);
  });

  it('records a failed DescribeVpcEndpoints without reading groups or subnets', async () => {
    const data = syntheticRegion('us-east-2', 1, 1);
    data.failures = { DescribeVpcEndpoints: awsError('UnauthorizedOperation', 'denied') };
    mock = fakeEc2({ 'us-east-2': data });
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2');
    expect(scope.collectionErrors?.map((e) => e.data)).toEqual(['vpcEndpoints']);
    expect(mock).not.toHaveReceivedCommand(DescribeSecurityGroupsCommand);
  });

  it('reads unfiltered and filters itself when the service rejects a filter (emulators)', async () => {
    const data = syntheticRegion('us-east-2', 2, 4);
    mock = fakeEc2({ 'us-east-2': data });
    // An emulator that knows no filters on DescribeVpcEndpoints: it rejects them, and answers every endpoint without.
    mock.on(DescribeVpcEndpointsCommand).callsFake((input: { Filters?: unknown[] }) => {
      if (input.Filters?.length)
        throw awsError(
          'FilterNotImplementedError',
          "The filter 'service-name' for DescribeVpcEndpoints has not been implemented",
        );
      return { VpcEndpoints: data.endpoints };
    });
    const counter = new CallCounter();
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2', { counter });
    expect(scope.collectionErrors).toBeUndefined();
    expect(scope.vpcEndpoints.map((e) => e.VpcEndpointId)).toEqual([
      'vpce-00000000',
      'vpce-00000001',
      'vpce-00000002',
      'vpce-00000003',
    ]);
    expect(counter.toJSON()).toMatchObject({ FilterFallbacks: 1 });
  });
});

/** A region of `count` synthetic VPCs and the given endpoints (service kinds by suffix). */
function regionWith(
  count: number,
  endpoints: { vpc: number; kind: string; state?: string; type?: string }[],
): FakeRegion {
  const data = syntheticRegion('us-east-2', count, 0);
  data.endpoints = endpoints.map((e, i) => ({
    VpcEndpointId: `vpce-${String(i).padStart(8, '0')}`,
    VpcEndpointType: e.type ?? 'Interface',
    VpcId: `vpc-${e.vpc.toString(16).padStart(8, '0')}`,
    ServiceName: `com.amazonaws.us-east-2.${e.kind}`,
    State: e.state ?? 'available',
    PrivateDnsEnabled: true,
    SubnetIds: [],
    Groups: [],
  })) as FakeRegion['endpoints'];
  return data;
}

describe('route tables (CCE.1/CCE.2 weigh where the traffic of a VPC without endpoints goes)', () => {
  it('reads them only for the VPCs lacking a serving Git or API endpoint', async () => {
    mock = fakeEc2({
      'us-east-2': regionWith(6, [
        // vpc 0: Git and API (FIPS) both serving: no route tables needed.
        { vpc: 0, kind: 'git-codecommit' },
        { vpc: 0, kind: 'codecommit-fips' },
        // vpc 1: Git only.
        { vpc: 1, kind: 'git-codecommit-fips' },
        // vpc 2: API only.
        { vpc: 2, kind: 'codecommit' },
        // vpc 3: both, but the API endpoint is not available.
        { vpc: 3, kind: 'git-codecommit' },
        { vpc: 3, kind: 'codecommit', state: 'pendingAcceptance' },
        // vpc 4: both, AWS's capitalised state (as some tools write it).
        { vpc: 4, kind: 'git-codecommit', state: 'Available' },
        { vpc: 4, kind: 'codecommit', state: 'Available' },
        // vpc 5: nothing.
      ]),
    });
    const counter = new CallCounter();
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2', { counter });
    expect(scope.collectionErrors).toBeUndefined();
    expect(counter.counts.get('DescribeRouteTables')).toBe(1);
    expect(mock).toHaveReceivedCommandWith(DescribeRouteTablesCommand, {
      MaxResults: 100,
      Filters: [{ Name: 'vpc-id', Values: ['vpc-00000001', 'vpc-00000002', 'vpc-00000003', 'vpc-00000005'] }],
    });
    expect([...new Set(scope.routeTables?.map((t) => t.VpcId))]).toEqual([
      'vpc-00000001',
      'vpc-00000002',
      'vpc-00000003',
      'vpc-00000005',
    ]);
  });

  it('makes no call when every VPC has both endpoints, and records routeTables: []', async () => {
    mock = fakeEc2({
      'us-east-2': regionWith(2, [
        { vpc: 0, kind: 'git-codecommit' },
        { vpc: 0, kind: 'codecommit' },
        { vpc: 1, kind: 'git-codecommit-fips' },
        { vpc: 1, kind: 'codecommit-fips' },
      ]),
    });
    const counter = new CallCounter();
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2', { counter });
    expect(scope.routeTables).toEqual([]);
    expect(counter.counts.has('DescribeRouteTables')).toBe(false);
    expect(mock).not.toHaveReceivedCommand(DescribeRouteTablesCommand);
  });

  it('does not count a Gateway endpoint or one of another service as serving', () => {
    const vpcs = [{ VpcId: 'vpc-1' }];
    const endpoint = (ServiceName: string, VpcEndpointType = 'Interface') => ({
      VpcEndpointId: 'vpce-1',
      VpcEndpointType,
      VpcId: 'vpc-1',
      ServiceName,
      State: 'available',
    });
    expect(
      vpcsNeedingRouteTables(
        vpcs,
        [endpoint('com.amazonaws.us-east-2.git-codecommit'), endpoint('com.amazonaws.us-east-2.codecommit', 'Gateway')],
        'us-east-2',
      ),
    ).toEqual(['vpc-1']);
    // A service name of another region is not a CodeCommit endpoint here.
    expect(
      vpcsNeedingRouteTables(
        vpcs,
        [endpoint('com.amazonaws.us-east-2.git-codecommit'), endpoint('com.amazonaws.us-west-2.codecommit')],
        'us-east-2',
      ),
    ).toEqual(['vpc-1']);
    expect(
      vpcsNeedingRouteTables(
        vpcs,
        [endpoint('cn.com.amazonaws.cn-north-1.git-codecommit'), endpoint('com.amazonaws.cn-north-1.codecommit')],
        'cn-north-1',
      ),
    ).toEqual([]);
  });

  it('gives the synthetic VPCs default routes to an internet, NAT and transit gateway, or none', async () => {
    mock = fakeEc2({ 'us-east-2': syntheticRegion('us-east-2', 8, 0) });
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2');
    const defaults = (vpc: number) =>
      (scope.routeTables ?? [])
        .filter((t) => t.VpcId === `vpc-${vpc.toString(16).padStart(8, '0')}`)
        .flatMap((t) => t.Routes ?? [])
        .filter((r) => r.DestinationCidrBlock === '0.0.0.0/0');
    for (const vpc of [0, 4]) {
      expect(syntheticDefaultRoute(vpc)).toBe('igw');
      expect(defaults(vpc)).toEqual([expect.objectContaining({ GatewayId: expect.stringMatching(/^igw-/) })]);
    }
    expect(defaults(1)).toEqual([expect.objectContaining({ NatGatewayId: expect.stringMatching(/^nat-/) })]);
    expect(defaults(2)).toEqual([expect.objectContaining({ TransitGatewayId: SYNTHETIC_TGW })]);
    expect(defaults(3)).toEqual([]);
    // The transit gateway route is on a subnet's table, not the main one.
    const tgwTable = scope.routeTables?.find((t) => t.Routes?.some((r) => r.TransitGatewayId));
    expect(tgwTable?.Associations?.[0]).toMatchObject({ Main: false, SubnetId: 'subnet-00000002r' });
    expect(scope.routeTables?.filter((t) => t.VpcId === 'vpc-00000003').flatMap((t) => t.Routes)).toEqual([
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
    ]);
  });

  it('reads only the given VPCs route tables for a change-triggered evaluation', async () => {
    mock = fakeEc2({ 'us-east-2': syntheticRegion('us-east-2', 8, 0) });
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2', { vpcIds: ['vpc-00000002'] });
    expect(scope.routeTables?.map((t) => t.RouteTableId)).toEqual(['rtb-00000002', 'rtb-10000002']);
    expect(mock).toHaveReceivedCommandWith(DescribeRouteTablesCommand, {
      Filters: [{ Name: 'vpc-id', Values: ['vpc-00000002'] }],
    });
  });

  it('records a failed DescribeRouteTables as a routeTables collection error and keeps the rest', async () => {
    const data = syntheticRegion('us-east-2', 2, 2);
    data.failures = {
      DescribeRouteTables: awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    };
    mock = fakeEc2({ 'us-east-2': data });
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2');
    expect(scope.collectionErrors).toEqual([
      {
        data: 'routeTables',
        operation: 'DescribeRouteTables',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
      },
    ]);
    expect(scope.routeTables).toBeUndefined();
    expect(scope.vpcEndpoints).toHaveLength(2);
    expect(scope.subnets).toHaveLength(4);
  });

  it('records a scope failure on DescribeRouteTables as scope', async () => {
    const data = syntheticRegion('us-east-2', 1, 1);
    data.failures = {
      DescribeRouteTables: awsError('ExpiredToken', 'The security token included in the request is expired'),
    };
    mock = fakeEc2({ 'us-east-2': data });
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2');
    expect(scope.collectionErrors?.map((e) => `${e.data} ${e.operation}`)).toEqual(['scope DescribeRouteTables']);
  });

  it('reads no route tables when the endpoints or the VPCs could not be read', async () => {
    for (const operation of ['DescribeVpcEndpoints', 'DescribeVpcs']) {
      const data = syntheticRegion('us-east-2', 2, 1);
      data.failures = { [operation]: awsError('UnauthorizedOperation', 'denied') };
      mock?.restore();
      mock = fakeEc2({ 'us-east-2': data });
      const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2');
      expect(scope.routeTables).toBeUndefined();
      expect(mock).not.toHaveReceivedCommand(DescribeRouteTablesCommand);
    }
  });

  it('reads unfiltered and selects itself when the service rejects the vpc-id filter (emulators)', async () => {
    const data = regionWith(4, [
      { vpc: 0, kind: 'git-codecommit' },
      { vpc: 0, kind: 'codecommit' },
    ]);
    mock = fakeEc2({ 'us-east-2': data });
    mock.on(DescribeRouteTablesCommand).callsFake((input: { Filters?: unknown[] }) => {
      if (input.Filters?.length)
        throw awsError('InvalidParameterValue', "The filter 'vpc-id' is invalid for DescribeRouteTables");
      return { RouteTables: data.routeTables };
    });
    const counter = new CallCounter();
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2', { counter });
    expect(scope.collectionErrors).toBeUndefined();
    expect(scope.routeTables?.map((t) => t.RouteTableId)).toEqual([
      'rtb-00000001',
      'rtb-00000002',
      'rtb-10000002',
      'rtb-00000003',
    ]);
    expect(counter.toJSON()).toMatchObject({ FilterFallbacks: 1, DescribeRouteTables: 1 }); // pages answered
  });

  it('never asks for more than 200 VPCs a filter or 100 tables a page', async () => {
    mock = fakeEc2({ 'us-east-2': syntheticRegion('us-east-2', 450, 0) });
    const counter = new CallCounter();
    const scope = await collectScope(client('us-east-2'), '123456789012', 'us-east-2', { counter });
    expect(scope.collectionErrors).toBeUndefined();
    expect(scope.routeTables).toHaveLength(450 + 112); // every VPC's main table, and 112 transit-gateway tables
    const calls = mock.commandCalls(DescribeRouteTablesCommand).map((c) => c.args[0].input);
    expect(calls.every((input) => input.MaxResults === 100)).toBe(true);
    expect(calls.map((input) => input.Filters?.[0]?.Values?.length)).toEqual([200, 200, 200, 200, 200, 200, 50]);
    // 250 tables for each filter of 200 VPCs (3 pages), 62 for the last 50 VPCs (1 page).
    expect(counter.counts.get('DescribeRouteTables')).toBe(7);
  });
});
