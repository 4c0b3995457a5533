/**
 * CodeCommit requests as CloudTrail records them (DESIGN section 1, "evidence in CloudTrail"):
 * who made each request and by which way it came (an interface endpoint, a private address, a
 * trusted network, an AWS service on your behalf, or the outside), summed up per principal.
 * Pure: the records come from LookupEvents items, EventBridge events or an inventory.
 */
import { cidrContains, isPrivate, parseCidr, type Cidr } from './cidr';

/** The caller a finding of CCE.14 is about. */
export interface Principal {
  /** `user/NAME`, `role/NAME` or `root`, prefixed by `ACCOUNT:` for a principal of another account. */
  id: string;
  /** DESIGN's resource types for CCE.14: the root user and callers known only by account or identity store count as users. */
  type: 'AWS::IAM::User' | 'AWS::IAM::Role';
  arn: string;
  accountId: string;
}

/** What a CodeCommit request's record says about where it came from. */
export interface TrafficEvent {
  eventId: string;
  eventTime: string;
  eventName: string;
  principal: Principal | undefined;
  sourceIPAddress: string;
  vpcEndpointId: string | undefined;
  /** The account that owns the endpoint the request came through (absent in older records). */
  vpcEndpointAccountId: string | undefined;
  /** The AWS service that made the request on the caller's behalf, if one did. */
  invokedBy: string | undefined;
  /** The request was refused (the record has an errorCode, e.g. AccessDenied). */
  denied: boolean;
}

export type Route = 'endpoint' | 'private' | 'trusted' | 'service' | 'outside';

/** One principal's requests in a window, by route; the details kept are those of requests from outside. */
export interface PrincipalActivity {
  principal: Principal;
  /** Requests by route. */
  endpoint: number;
  private: number;
  trusted: number;
  service: number;
  outside: number;
  /** First and last request from outside (ISO 8601). */
  firstOutside?: string;
  lastOutside?: string;
  /** Up to MAX_SOURCES addresses the requests from outside came from, in order of first use. */
  sources: string[];
  /** The actions requested from outside, sorted. */
  actions: string[];
  /** Requests from outside that were refused (identity policy, SCP): counted in `outside` too. */
  denied?: number;
  /** The actions requested from outside that succeeded at least once, sorted. */
  succeeded?: string[];
}

/** CodeCommit requests of one account-region, per principal. */
export interface TrafficSummary {
  /** Sorted by principal id. */
  principals: PrincipalActivity[];
  /** Records that could not be read (not JSON, no time, no caller), with the first reason. */
  unreadable: number;
  firstProblem?: string;
}

export const MAX_SOURCES = 5;
const SERVICE_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `user/NAME` or `role/NAME` of an IAM ARN (the path dropped), or undefined. */
function nameOf(arn: string): { kind: 'user' | 'role'; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match ? { kind: match[1] as 'user' | 'role', name: match[2] ?? '' } : undefined;
}

function rootOf(accountId: string, recipient: string, partition: string): Principal {
  const prefix = accountId === recipient ? '' : `${accountId}:`;
  return { id: `${prefix}root`, type: 'AWS::IAM::User', arn: `arn:${partition}:iam::${accountId}:root`, accountId };
}

/** The role an STS assumed-role ARN names (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`). */
function roleOfSession(arn: string | undefined): string | undefined {
  const match = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn ?? '');
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : undefined;
}

function principalFrom(identity: Record<string, unknown>, recipient: string): Principal | undefined {
  const type = text(identity.type);
  const accountId = text(identity.accountId) ?? recipient;
  const partition = /^arn:(aws[a-z-]*):/.exec(text(identity.arn) ?? '')?.[1] ?? 'aws';
  if (type === 'Root') return rootOf(accountId, recipient, partition);
  // An assumed role or a federated user answers as the identity that issued the session.
  const issuer = record(record(identity.sessionContext)?.sessionIssuer);
  if ((type === 'AssumedRole' || type === 'FederatedUser') && text(issuer?.type) === 'Root')
    return rootOf(text(issuer?.accountId) ?? accountId, recipient, partition);
  // A caller known only by its account (another account's principal CloudTrail does not name).
  if (type === 'AWSAccount')
    return {
      id: `account/${accountId}`,
      type: 'AWS::IAM::User',
      arn: `arn:${partition}:iam::${accountId}:root`,
      accountId,
    };
  // An IAM Identity Center user acting through an identity-aware session.
  const onBehalfOf = record(identity.onBehalfOf);
  if (type === 'IdentityCenterUser' && text(onBehalfOf?.userId))
    return {
      id: `identity-center/${text(onBehalfOf?.userId) ?? ''}`,
      type: 'AWS::IAM::User',
      arn: `${text(onBehalfOf?.identityStoreArn) ?? `arn:${partition}:identitystore::${accountId}:identitystore`}/user/${text(onBehalfOf?.userId) ?? ''}`,
      accountId,
    };
  const arn =
    (type === 'AssumedRole' || type === 'FederatedUser' ? text(issuer?.arn) : undefined) ??
    roleOfSession(text(identity.arn)) ??
    text(identity.arn);
  const named = arn && nameOf(arn);
  if (arn && named) {
    const issuerAccount = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(arn)?.[1] ?? accountId;
    const owner = issuerAccount === recipient ? '' : `${issuerAccount}:`;
    return {
      id: `${owner}${named.kind}/${named.name}`,
      type: named.kind === 'user' ? 'AWS::IAM::User' : 'AWS::IAM::Role',
      arn,
      accountId: issuerAccount,
    };
  }
  return undefined;
}

/**
 * A CloudTrail record (the object, or `CloudTrailEvent` text) as a TrafficEvent, or the reason it
 * cannot be judged. `recipient`: the account whose trail it is, for records that omit it.
 */
export function readTrafficEvent(value: unknown, recipient: string): TrafficEvent | string {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return 'CloudTrailEvent is not JSON';
    }
  }
  const event = record(parsed);
  if (!event) return 'the record is not a JSON object';
  const eventTime = text(event.eventTime);
  if (!eventTime || Number.isNaN(Date.parse(eventTime))) return 'the record has no valid eventTime';
  const eventName = text(event.eventName);
  if (!eventName) return 'the record has no eventName';
  const identity = record(event.userIdentity);
  const invokedBy = text(identity?.invokedBy);
  const sourceIPAddress = text(event.sourceIPAddress) ?? '';
  const principal = identity ? principalFrom(identity, text(event.recipientAccountId) ?? recipient) : undefined;
  if (!principal && identity?.type !== 'AWSService' && !invokedBy && !isServiceAddress(sourceIPAddress))
    return `the record names no caller (userIdentity.type ${text(identity?.type) ?? 'missing'})`;
  return {
    eventId: text(event.eventID) ?? '',
    eventTime: new Date(eventTime).toISOString(),
    eventName,
    principal,
    sourceIPAddress,
    vpcEndpointId: text(event.vpcEndpointId),
    vpcEndpointAccountId: text(event.vpcEndpointAccountId),
    invokedBy,
    denied: text(event.errorCode) !== undefined,
  };
}

/** A service's DNS name, or AWS's own marker for its internal calls (`AWS Internal`, `AWS Internal/3`). */
function isServiceAddress(text: string): boolean {
  return SERVICE_NAME.test(text) || /^AWS Internal(\/\d+)?$/.test(text);
}

/** An IP address (v4, v6, or v4 mapped into v6), or undefined for anything else. */
function addressOf(text: string): Cidr | undefined {
  if (text.includes('/') || text === '') return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)?.[1];
  if (mapped) return parseCidr(`${mapped}/32`);
  return parseCidr(text.includes(':') ? `${text}/128` : `${text}/32`);
}

/** Whose networks count as yours: trusted CIDRs, and the accounts whose VPC endpoints are yours. */
export interface Trust {
  cidrs: readonly Cidr[];
  /** Besides the account the request reached (trustedAccounts). */
  accounts: readonly string[];
}

/**
 * Which way a request came. An endpoint counts when it is the account's own or a trusted
 * account's (`vpcEndpointAccountId`; records without it are taken as the account's): a request
 * through someone else's endpoint comes from a network you do not control. A real IP address is
 * judged as such even when a console or service relayed the request (`invokedBy`); only a
 * service name or `AWS Internal` in place of an address means AWS acted on the caller's behalf.
 */
export function routeOf(event: TrafficEvent, trust: Trust, recipient: string): Route {
  if (event.vpcEndpointId) {
    const owner = event.vpcEndpointAccountId;
    return !owner || owner === recipient || trust.accounts.includes(owner) ? 'endpoint' : 'outside';
  }
  const address = addressOf(event.sourceIPAddress);
  if (address) {
    if (isPrivate(address)) return 'private';
    if (trust.cidrs.some((block) => cidrContains(block, address))) return 'trusted';
    return 'outside';
  }
  if (event.invokedBy || isServiceAddress(event.sourceIPAddress) || !event.principal) return 'service';
  return 'outside';
}

/** What a request from outside is shown as coming from. */
export function sourceOf(event: TrafficEvent): string {
  if (event.vpcEndpointId) return `${event.vpcEndpointId} of account ${event.vpcEndpointAccountId ?? '?'}`;
  return event.sourceIPAddress || 'an unrecorded address';
}

export function emptyActivity(principal: Principal): PrincipalActivity {
  return {
    principal,
    endpoint: 0,
    private: 0,
    trusted: 0,
    service: 0,
    outside: 0,
    sources: [],
    actions: [],
    denied: 0,
    succeeded: [],
  };
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined ? a : a <= b ? a : b;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined ? a : a >= b ? a : b;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Two summaries of one principal (pages of one window, or a scan and the events after it). */
export function mergeActivity(a: PrincipalActivity, b: PrincipalActivity): PrincipalActivity {
  return {
    principal: a.principal,
    endpoint: a.endpoint + b.endpoint,
    private: a.private + b.private,
    trusted: a.trusted + b.trusted,
    service: a.service + b.service,
    outside: a.outside + b.outside,
    denied: (a.denied ?? 0) + (b.denied ?? 0),
    ...(a.succeeded || b.succeeded ? { succeeded: union(a.succeeded ?? [], b.succeeded ?? []) } : {}),
    ...optional('firstOutside', earlier(a.firstOutside, b.firstOutside)),
    ...optional('lastOutside', later(a.lastOutside, b.lastOutside)),
    sources: [...new Set([...a.sources, ...b.sources])].slice(0, MAX_SOURCES),
    actions: union(a.actions, b.actions),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The activity one request adds. */
export function activityOf(event: TrafficEvent, principal: Principal, route: Route): PrincipalActivity {
  const activity = emptyActivity(principal);
  activity[route] = 1;
  if (route === 'outside') {
    activity.firstOutside = event.eventTime;
    activity.lastOutside = event.eventTime;
    activity.sources = [sourceOf(event)];
    activity.actions = [event.eventName];
    if (event.denied) activity.denied = 1;
    else activity.succeeded = [event.eventName];
  }
  return activity;
}

/** Sums up records as they come (pages of LookupEvents), keeping only the per-principal summary. */
export class TrafficAccumulator {
  private readonly byPrincipal = new Map<string, PrincipalActivity>();
  /** Events already counted in this run: the same record twice (a page read again) counts once. */
  private readonly seen = new Set<string>();
  private unreadable = 0;
  private firstProblem: string | undefined;
  private readonly trust: Trust;

  constructor(
    private readonly recipient: string,
    trustedCidrs: readonly Cidr[],
    carried?: TrafficSummary,
    trustedAccounts: readonly string[] = [],
  ) {
    this.trust = { cidrs: trustedCidrs, accounts: trustedAccounts };
    if (carried) this.addSummary(carried);
  }

  /** Add one record (object or `CloudTrailEvent` text); `where` names it in the first problem. */
  add(value: unknown, where: string): void {
    const event = readTrafficEvent(value, this.recipient);
    if (typeof event === 'string') {
      this.unreadable++;
      this.firstProblem ??= `${where}: ${event}`;
      return;
    }
    if (event.eventId) {
      if (this.seen.has(event.eventId)) return;
      this.seen.add(event.eventId);
    }
    const route = routeOf(event, this.trust, this.recipient);
    // A request no principal of an account made (an AWS service's own) is nobody's to answer for.
    if (!event.principal) return;
    this.merge(activityOf(event, event.principal, route));
  }

  addSummary(summary: TrafficSummary): void {
    for (const activity of summary.principals) this.merge(activity);
    this.unreadable += summary.unreadable;
    if (summary.firstProblem !== undefined) this.firstProblem ??= summary.firstProblem;
  }

  private merge(activity: PrincipalActivity): void {
    const id = activity.principal.id;
    const before = this.byPrincipal.get(id);
    this.byPrincipal.set(id, before ? mergeActivity(before, activity) : activity);
  }

  summary(): TrafficSummary {
    const principals = [...this.byPrincipal.values()].sort((a, b) =>
      a.principal.id < b.principal.id ? -1 : a.principal.id > b.principal.id ? 1 : 0,
    );
    return {
      principals,
      unreadable: this.unreadable,
      ...(this.firstProblem === undefined ? {} : { firstProblem: this.firstProblem }),
    };
  }
}

const ROUTES = ['endpoint', 'private', 'trusted', 'service', 'outside'] as const;
const PRINCIPAL_TYPES: readonly string[] = ['AWS::IAM::User', 'AWS::IAM::Role'];

/** What is wrong with a summary carried from an earlier task, or undefined when it is sound. */
export function summaryProblem(value: unknown): string | undefined {
  const summary = record(value);
  if (!summary || !Array.isArray(summary.principals) || typeof summary.unreadable !== 'number')
    return 'not a summary of CodeCommit requests ({"principals": [...], "unreadable": n})';
  for (const [index, item] of (summary.principals as unknown[]).entries()) {
    const activity = record(item);
    const principal = record(activity?.principal);
    const sound =
      activity &&
      principal &&
      typeof principal.id === 'string' &&
      typeof principal.arn === 'string' &&
      typeof principal.accountId === 'string' &&
      PRINCIPAL_TYPES.includes(String(principal.type)) &&
      ROUTES.every((route) => typeof activity[route] === 'number') &&
      Array.isArray(activity.sources) &&
      activity.sources.every((s) => typeof s === 'string') &&
      Array.isArray(activity.actions) &&
      activity.actions.every((a) => typeof a === 'string') &&
      (activity.denied === undefined || typeof activity.denied === 'number') &&
      (activity.succeeded === undefined ||
        (Array.isArray(activity.succeeded) && activity.succeeded.every((a) => typeof a === 'string')));
    if (!sound) return `principals[${index}] is not a principal's activity`;
  }
  return undefined;
}

/** The ProductFields key under which a caller's finding keeps its request summary (Security Hub). */
export const ACTIVITY_FIELD = 'codecommit-endpoint-auditor/Requests';
/** Security Hub keeps at most 2,048 characters in a ProductFields value. */
const MAX_FIELD = 2048;

/** A caller's summary as a ProductFields value (actions cut to fit, never the counts). */
export function activityField(activity: PrincipalActivity): string {
  const rest: Omit<PrincipalActivity, 'principal'> & { principal?: Principal } = { ...activity };
  delete rest.principal;
  let text = JSON.stringify(rest);
  for (let keep = rest.actions.length - 1; text.length > MAX_FIELD && keep >= 0; keep--)
    text = JSON.stringify({ ...rest, actions: rest.actions.slice(0, keep) });
  return text;
}

/** A caller's summary read back from its finding's ProductFields (undefined when absent or unsound). */
export function activityFromField(text: string | undefined, principal: Principal): PrincipalActivity | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const activity = { ...(record(value) ?? {}), principal };
  return summaryProblem({ principals: [activity], unreadable: 0 }) === undefined
    ? (activity as PrincipalActivity)
    : undefined;
}
