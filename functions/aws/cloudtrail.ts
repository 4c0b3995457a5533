/**
 * CodeCommit's events from CloudTrail (CCE.14): LookupEvents filtered to the event source, 50
 * events a page (the most it gives), paced to its 2 requests a second per account-region (the
 * SDK retries a throttled call with backoff). Paging stops before a given time and hands back
 * the page token, so a busy account-region goes on in another task without losing an event.
 */
import { LookupEventsCommand, type CloudTrailClient, type Event } from '@aws-sdk/client-cloudtrail';
import type { CallCounter } from '../core/call-counter';
import type { CloudTrailEventItem, CloudTrailWindow } from '../core/inventory';

export const LOOKUP_PAGE_SIZE = 50;
/** CloudTrail answers LookupEvents twice a second per account and region. */
export const LOOKUP_INTERVAL_MS = 500;
export const CODECOMMIT_EVENT_SOURCE = 'codecommit.amazonaws.com';
/** Time a page is allowed (a call and its pause) when deciding whether another one fits before `stopAt`. */
export const PAGE_ALLOWANCE_MS = 2_000;

export interface LookupOptions {
  window: CloudTrailWindow;
  /** Where earlier pages stopped. */
  nextToken?: string | undefined;
  counter?: CallCounter | undefined;
  /** Stop asking for pages after this epoch ms; the token of the next page is returned. */
  stopAt?: number | undefined;
  /** Each page's events, as the inventory keeps them. */
  onPage: (events: CloudTrailEventItem[]) => void;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  now?: (() => number) | undefined;
}

export interface LookupResult {
  pages: number;
  events: number;
  /** Set when paging stopped at `stopAt` with pages left. */
  nextToken?: string;
}

/** The look-back window ending at `now`. */
export function lookbackWindow(now: Date, hours: number): CloudTrailWindow {
  return { StartTime: new Date(now.getTime() - hours * 3_600_000).toISOString(), EndTime: now.toISOString() };
}

/** An SDK event as the inventory keeps it (dates as ISO text). */
export function toItem(event: Event): CloudTrailEventItem {
  const item: CloudTrailEventItem = { CloudTrailEvent: event.CloudTrailEvent ?? '' };
  if (event.EventId !== undefined) item.EventId = event.EventId;
  if (event.EventName !== undefined) item.EventName = event.EventName;
  if (event.ReadOnly !== undefined) item.ReadOnly = event.ReadOnly;
  if (event.AccessKeyId !== undefined) item.AccessKeyId = event.AccessKeyId;
  if (event.EventTime !== undefined) item.EventTime = new Date(event.EventTime).toISOString();
  if (event.EventSource !== undefined) item.EventSource = event.EventSource;
  if (event.Username !== undefined) item.Username = event.Username;
  if (event.Resources !== undefined)
    item.Resources = event.Resources.map((r) => ({
      ...(r.ResourceType === undefined ? {} : { ResourceType: r.ResourceType }),
      ...(r.ResourceName === undefined ? {} : { ResourceName: r.ResourceName }),
    }));
  return item;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Read the window's CodeCommit events page by page; errors propagate (the caller records them). */
export async function lookupCodeCommitEvents(client: CloudTrailClient, options: LookupOptions): Promise<LookupResult> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  let token = options.nextToken;
  let pages = 0;
  let events = 0;
  let lastCall: number | undefined;
  do {
    if (options.stopAt !== undefined && pages > 0 && now() + PAGE_ALLOWANCE_MS > options.stopAt && token)
      return { pages, events, nextToken: token };
    if (lastCall !== undefined) {
      const wait = lastCall + LOOKUP_INTERVAL_MS - now();
      if (wait > 0) await sleep(wait);
    }
    lastCall = now();
    options.counter?.add('LookupEvents');
    const page = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: CODECOMMIT_EVENT_SOURCE }],
        StartTime: new Date(options.window.StartTime),
        EndTime: new Date(options.window.EndTime),
        MaxResults: LOOKUP_PAGE_SIZE,
        NextToken: token,
      }),
    );
    pages++;
    const items = (page.Events ?? []).map(toItem);
    events += items.length;
    options.onPage(items);
    token = page.NextToken || undefined;
  } while (token);
  return { pages, events };
}
