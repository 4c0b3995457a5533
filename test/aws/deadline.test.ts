import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EC2Client, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeClient } from '../../functions/aws/clients';
import { withDeadline } from '../../functions/aws/deadline';
import { lambdaDeadlines, LAMBDA_TIMING } from '../../functions/jobs/deadlines';

// A server that never answers.
let server: Server;
let url: string;
let requests = 0;
beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  server = createServer(() => void requests++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (callMs: number, requestMs = 60_000) =>
  makeClient(EC2Client, { region: 'us-east-2', endpoint: url, timeouts: { callMs, requestMs }, maxAttempts: 3 });

describe('time limits on AWS calls', () => {
  it('ends a call that gets no answer at its budget, retries included, with TimedOut', async () => {
    const error = await client(300)
      .send(new DescribeVpcsCommand({}))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'TimedOut',
      message: 'EC2 DescribeVpcs: no answer within 0.3 s, retries included',
    });
  });

  it('retries an attempt past its request timeout, within the call budget', async () => {
    requests = 0;
    const error = await client(1_000, 200)
      .send(new DescribeVpcsCommand({}))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: expect.stringMatching(/TimedOut|TimeoutError/) });
    expect(requests).toBeGreaterThanOrEqual(2);
  });

  it('stops at the running deadline, and makes no call once it has passed', async () => {
    const ec2 = client(60_000);
    const atDeadline = await withDeadline(Date.now() + 200, 'collection', () =>
      ec2.send(new DescribeVpcsCommand({})),
    ).catch((e: unknown) => e);
    expect(atDeadline).toMatchObject({
      name: 'TimedOut',
      message: 'EC2 DescribeVpcs: stopped at the collection deadline',
    });
    requests = 0;
    const after = await withDeadline(Date.now() - 1, 'collection', () => ec2.send(new DescribeVpcsCommand({}))).catch(
      (e: unknown) => e,
    );
    expect(after).toMatchObject({ message: 'EC2 DescribeVpcs not made: the collection deadline has passed' });
    expect(requests).toBe(0);
  });

  it('keeps the sooner of two nested deadlines', async () => {
    const ec2 = client(60_000);
    const started = Date.now();
    await withDeadline(started + 200, 'outer', () =>
      withDeadline(started + 60_000, 'inner', () => ec2.send(new DescribeVpcsCommand({}))),
    ).catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('deadlines inside a Lambda invocation', () => {
  it('stop collecting a minute before the end, and publishing just before it', () => {
    const now = 1_000_000;
    expect(lambdaDeadlines({ getRemainingTimeInMillis: () => 300_000 }, LAMBDA_TIMING, now)).toEqual({
      collect: now + 300_000 - 5_000 - 60_000,
      publish: now + 300_000 - 5_000,
    });
    expect(lambdaDeadlines(undefined)).toBeUndefined();
  });
});
