import {
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
import { collectScope } from '../../functions/aws/collector';
import { evaluate } from '../../functions/core/engine';
import { parseParams } from '../../functions/core/params';
import { awsError, fakeEc2, syntheticRegion } from '../fixtures/fake-ec2';
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
    expect(counter.toJSON()).toEqual({
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

  it('asks for nothing more when there are no CodeCommit endpoints', async () => {
    mock = fakeEc2({ 'eu-west-1': { ...syntheticRegion('eu-west-1', 3, 0) } });
    const counter = new CallCounter();
    const scope = await collectScope(client('eu-west-1'), '123456789012', 'eu-west-1', { counter });
    expect(scope.vpcEndpoints).toEqual([]);
    expect(scope.securityGroups).toEqual([]);
    expect(scope.subnets).toEqual([]);
    expect(counter.toJSON()).toEqual({ DescribeVpcEndpointServices: 1, DescribeVpcEndpoints: 1, DescribeVpcs: 1 });
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
    expect(findings.every((f) => f.resourceArn.startsWith('arn:aws-cn:ec2:cn-north-1:'))).toBe(true);
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
    expect([...new Set(findings.filter((f) => f.status === 'ERROR').map((f) => f.checkId))]).toEqual(['CCE.10']);
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
