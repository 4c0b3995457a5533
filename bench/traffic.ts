/**
 * CCE.14 at scale: an account-region with N CodeCommit events in the look-back window (a busy CI),
 * read as the worker reads it: LookupEvents paced to 2 a second, each task paging until its
 * collection deadline, then continuing on the queue with the page token and the summary so far.
 * Time is virtual (each call takes `callMs`, pauses advance the clock), so the figures are those
 * of a real worker's limits without waiting for them. Checks that no event is lost or counted
 * twice: the continued summary equals the summary of every event read in one go.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { type Event } from '@aws-sdk/client-cloudtrail';
import { LOOKUP_PAGE_SIZE, lookupCodeCommitEvents } from '../functions/aws/cloudtrail';
import { CallCounter } from '../functions/core/call-counter';
import { TrafficAccumulator, type TrafficSummary } from '../functions/core/traffic';
import { LAMBDA_TIMING } from '../functions/jobs/deadlines';
import { codeCommitEvent } from '../test/fixtures/fake-cloudtrail';

export interface TrafficFigures {
  events: number;
  calls: number;
  floor: number;
  tasks: number;
  virtualSeconds: number;
  eventsCounted: number;
  principals: number;
  sameAsOneGo: boolean;
  carriedBytesMax: number;
  cpuMs: number;
  heapMiB: number;
}

/** N events over 24 hours: 40 CI roles and developers, a tenth of them from public addresses. */
function eventsOf(count: number, end: Date): Event[] {
  const span = 24 * 3_600_000;
  return Array.from({ length: count }, (_, n) =>
    codeCommitEvent(n, {
      time: new Date(end.getTime() - ((n * 7919) % span) - 1),
      user: `ci-${n % 40}`,
      ...(n % 10 === 0
        ? { sourceIPAddress: `203.0.113.${n % 250}`, eventName: n % 20 === 0 ? 'GitPush' : 'GitPull' }
        : { vpcEndpointId: 'vpce-0123456789abcdef0' }),
    }),
  );
}

/** A CloudTrail that answers LookupEvents from memory, each call taking `callMs` of virtual time. */
function virtualTrail(events: Event[], clock: { now: number }, callMs: number): CloudTrailClient {
  const sorted = [...events].sort((a, b) => (b.EventTime as Date).getTime() - (a.EventTime as Date).getTime());
  return {
    send: (command: { input: { NextToken?: string; MaxResults?: number } }) => {
      clock.now += callMs;
      const from = command.input.NextToken ? Number(command.input.NextToken) : 0;
      const max = command.input.MaxResults ?? LOOKUP_PAGE_SIZE;
      const page = sorted.slice(from, from + max);
      return Promise.resolve({
        Events: page,
        NextToken: from + max < sorted.length ? String(from + max) : undefined,
      });
    },
  } as unknown as CloudTrailClient;
}

/**
 * Read `count` events as worker tasks of `timeoutSeconds` would (collection ends a publish reserve
 * and a margin before the Lambda does; EC2 and IAM collection take `otherCollectMs` first).
 */
export async function trafficRun(
  count: number,
  { timeoutSeconds = 300, callMs = 150, otherCollectMs = 5_000 } = {},
): Promise<TrafficFigures> {
  const end = new Date('2026-11-27T00:00:00.000Z');
  const window = { StartTime: new Date(end.getTime() - 24 * 3_600_000).toISOString(), EndTime: end.toISOString() };
  const events = eventsOf(count, end);
  const clock = { now: 0 };
  const client = virtualTrail(events, clock, callMs);
  const sleep = (ms: number): Promise<void> => {
    clock.now += ms;
    return Promise.resolve();
  };
  const counter = new CallCounter();
  const cpuStart = process.cpuUsage();
  let carried: TrafficSummary | undefined;
  let nextToken: string | undefined;
  let tasks = 0;
  let carriedBytesMax = 0;
  do {
    tasks++;
    const taskStart = clock.now;
    clock.now += otherCollectMs;
    const collectBy = taskStart + timeoutSeconds * 1000 - LAMBDA_TIMING.finishMarginMs - LAMBDA_TIMING.publishReserveMs;
    const sum = new TrafficAccumulator('123456789012', [], carried);
    const result = await lookupCodeCommitEvents(client, {
      window,
      nextToken,
      counter,
      stopAt: collectBy,
      sleep,
      now: () => clock.now,
      onPage: (items) => {
        for (const item of items) sum.add(item.CloudTrailEvent, item.EventId ?? '');
      },
    });
    carried = sum.summary();
    nextToken = result.nextToken;
    // What the continuation message carries (gzipped in the task; its JSON size is the bound).
    if (nextToken) carriedBytesMax = Math.max(carriedBytesMax, JSON.stringify(carried).length);
    // The next task starts when this one has published and the queue delivers the continuation.
    clock.now = taskStart + timeoutSeconds * 1000;
  } while (nextToken);
  const cpu = process.cpuUsage(cpuStart);
  // In LookupEvents' order (newest first): the example addresses kept are the first five seen.
  const oneGo = new TrafficAccumulator('123456789012', []);
  const newestFirst = [...events].sort((a, b) => (b.EventTime as Date).getTime() - (a.EventTime as Date).getTime());
  for (const event of newestFirst) oneGo.add(event.CloudTrailEvent, event.EventId ?? '');
  const summary = carried ?? { principals: [], unreadable: 0 };
  const counted = summary.principals.reduce(
    (sum, a) => sum + a.endpoint + a.private + a.trusted + a.service + a.outside,
    0,
  );
  return {
    events: count,
    calls: counter.counts.get('LookupEvents') ?? 0,
    floor: Math.max(1, Math.ceil(count / LOOKUP_PAGE_SIZE)),
    tasks,
    virtualSeconds: clock.now / 1000,
    eventsCounted: counted,
    principals: summary.principals.length,
    sameAsOneGo: JSON.stringify(summary) === JSON.stringify(oneGo.summary()),
    carriedBytesMax,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

if (process.argv[1]?.endsWith('traffic.ts')) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  for (const count of [0, 1_000, 100_000]) console.log(JSON.stringify(await trafficRun(count)));
}
