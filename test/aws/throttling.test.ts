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
import { CallCounter } from '../../functions/core/call-counter';
import { collectScope } from '../../functions/aws/collector';
import { evaluate } from '../../functions/core/engine';
import { parseParams } from '../../functions/core/params';
import { BODIES, NS } from '../fixtures/ec2-xml';
import { CHECK_IDS } from '../../functions/checks/index';

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
        return Promise.resolve({
          response: {
            statusCode: throttled ? 503 : 200,
            headers: { 'content-type': 'text/xml' },
            body: Readable.from([Buffer.from(xml)]),
          },
        });
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
    expect(counter.toJSON()).toEqual({
      DescribeRouteTables: 1,
      DescribeSecurityGroups: 1,
      DescribeSubnets: 1,
      DescribeVpcEndpointServices: 1,
      DescribeVpcEndpoints: 1,
      DescribeVpcs: 1,
    });
    expect(fake.received).toHaveLength(18); // 6 operations × (2 throttled + 1 answered)
    const findings = evaluate([scope], parseParams({}, CHECK_IDS), CATALOGUE);
    // No ERROR among the checks of the data collectScope gathers (account-level checks need organization and IAM data).
    expect(findings.filter((f) => f.status === 'ERROR' && f.resourceType.startsWith('AWS::EC2::'))).toEqual([]);
    // Every check of the catalogue reports; these are the outcomes of the first eleven.
    expect(findings).toHaveLength(CATALOGUE.length);
    expect(findings.map((f) => `${f.checkId} ${f.status}`)).toEqual(
      expect.arrayContaining([
        'CCE.1 PASSED',
        'CCE.2 FAILED',
        'CCE.3 NOT_APPLICABLE',
        'CCE.4 PASSED',
        'CCE.5 PASSED',
        'CCE.6 FAILED',
        'CCE.7 FAILED',
        'CCE.8 NOT_APPLICABLE',
        'CCE.9 PASSED',
        'CCE.10 FAILED',
        'CCE.11 PASSED',
      ]),
    );
  });

  it('records RequestLimitExceeded as a collection error once the bounded attempts run out', async () => {
    const fake = throttlingHandler(1000);
    const ec2 = new EC2Client({
      ...clientConfig({ region: 'us-east-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } }),
      maxAttempts: 2,
      requestHandler: fake.handler as never,
    });
    const scope = await settle(collectScope(ec2, '123456789012', 'us-east-2'));
    expect(scope.collectionErrors?.[0]).toMatchObject({
      data: 'vpcs',
      operation: 'DescribeVpcs',
      code: 'RequestLimitExceeded',
    });
  });
});
