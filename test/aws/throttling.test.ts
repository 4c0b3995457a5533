/**
 * Heavy throttling through the SDK's own retry stack (not a mocked `send`): a request
 * handler that speaks EC2's query/XML protocol answers RequestLimitExceeded twice for
 * every operation before it answers for real.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CATALOGUE } from '../../functions/checks/index';
import { clientConfig } from '../../functions/aws/clients';
import { CallCounter } from '../../functions/aws/call-counter';
import { collectScope } from '../../functions/aws/collector';
import { evaluate } from '../../functions/core/engine';
import { parseParams } from '../../functions/core/params';

const NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';
const POLICY = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}'.replace(/"/g, '&quot;');
const BODIES: Record<string, string> = {
  DescribeVpcs: `<vpcSet><item><vpcId>vpc-1</vpcId><ownerId>123456789012</ownerId><isDefault>false</isDefault><tagSet/></item></vpcSet>`,
  DescribeVpcEndpointServices: `<serviceNameSet><item>com.amazonaws.us-east-2.git-codecommit</item><item>com.amazonaws.us-east-2.codecommit</item></serviceNameSet>`,
  DescribeVpcEndpoints:
    `<vpcEndpointSet><item><vpcEndpointId>vpce-1</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>vpc-1</vpcId>` +
    `<serviceName>com.amazonaws.us-east-2.git-codecommit</serviceName><state>available</state><policyDocument>${POLICY}</policyDocument>` +
    `<privateDnsEnabled>true</privateDnsEnabled><subnetIdSet><item>subnet-a</item><item>subnet-b</item></subnetIdSet>` +
    `<groupSet><item><groupId>sg-1</groupId><groupName>endpoints</groupName></item></groupSet></item></vpcEndpointSet>`,
  DescribeSecurityGroups:
    `<securityGroupInfo><item><groupId>sg-1</groupId><groupName>endpoints</groupName><ipPermissions><item><ipProtocol>tcp</ipProtocol>` +
    `<fromPort>443</fromPort><toPort>443</toPort><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissions></item></securityGroupInfo>`,
  DescribeSubnets:
    `<subnetSet><item><subnetId>subnet-a</subnetId><availabilityZone>us-east-2a</availabilityZone></item>` +
    `<item><subnetId>subnet-b</subnetId><availabilityZone>us-east-2b</availabilityZone></item></subnetSet>`,
};

function throttlingHandler(throttlesPerOperation: number) {
  const seen = new Map<string, number>();
  const received: string[] = [];
  return {
    received,
    handler: {
      handle: async (request: { body?: unknown }) => {
        const action = new URLSearchParams(String(request.body)).get('Action') ?? '';
        received.push(action);
        const count = (seen.get(action) ?? 0) + 1;
        seen.set(action, count);
        const throttled = count <= throttlesPerOperation;
        const xml = throttled
          ? '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>'
          : `<?xml version="1.0" encoding="UTF-8"?><${action}Response ${NS}><requestId>r-2</requestId>${BODIES[action] ?? ''}</${action}Response>`;
        return Promise.resolve({ response: { statusCode: throttled ? 503 : 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) } });
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    },
  };
}

/** Let the SDK's back-off timers run on fake time until the promise settles. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(500);
  return tracked;
}

describe('collector under throttling', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('completes with every finding when each operation is throttled twice first', async () => {
    const fake = throttlingHandler(2);
    const ec2 = new EC2Client({
      ...clientConfig({ region: 'us-east-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } }),
      requestHandler: fake.handler as never,
    });
    const counter = new CallCounter();
    const scope = await settle(collectScope(ec2, '123456789012', 'us-east-2', { counter }));

    expect(scope.collectionErrors).toBeUndefined();
    expect(counter.toJSON()).toEqual({ DescribeSecurityGroups: 1, DescribeSubnets: 1, DescribeVpcEndpointServices: 1, DescribeVpcEndpoints: 1, DescribeVpcs: 1 });
    expect(fake.received).toHaveLength(15); // 5 operations × (2 throttled + 1 answered)
    const findings = evaluate([scope], parseParams({}), CATALOGUE);
    expect(findings.filter((f) => f.status === 'ERROR')).toEqual([]);
    expect(findings.map((f) => `${f.checkId} ${f.status}`)).toEqual([
      'CCE.1 PASSED', 'CCE.2 FAILED', 'CCE.3 NOT_APPLICABLE',
      'CCE.4 PASSED', 'CCE.5 PASSED', 'CCE.6 FAILED', 'CCE.7 FAILED', 'CCE.8 NOT_APPLICABLE', 'CCE.9 PASSED', 'CCE.10 FAILED', 'CCE.11 PASSED',
    ]);
  });

  it('records RequestLimitExceeded as a collection error once the bounded attempts run out', async () => {
    const fake = throttlingHandler(1000);
    const ec2 = new EC2Client({
      ...clientConfig({ region: 'us-east-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } }),
      maxAttempts: 2,
      requestHandler: fake.handler as never,
    });
    const scope = await settle(collectScope(ec2, '123456789012', 'us-east-2'));
    expect(scope.collectionErrors?.[0]).toMatchObject({ data: 'vpcs', operation: 'DescribeVpcs', code: 'RequestLimitExceeded' });
  });
});
