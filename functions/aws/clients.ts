/**
 * SDK v3 clients, made in one place: adaptive retries with a bounded number of attempts, time
 * limits on every attempt and every call (aws/deadline), the standard credential chain (or a
 * named profile, or a member account's temporary credentials), and AWS_ENDPOINT_URL, which the
 * SDK reads itself, so emulators work without code here.
 *
 * Jobs take factories (`(region, credentials?) => client`) rather than clients, so a handler
 * makes them once per container and tests inject fakes. Each function's bundle imports only
 * the client classes its handler names.
 */
import { DEFAULT_TIMEOUTS, deadlineMiddleware, httpHandler, type Timeouts } from './deadline';

export const MAX_ATTEMPTS = 8;

/** Temporary credentials, in the shape SDK clients accept. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

export interface ClientOptions {
  region?: string | undefined;
  profile?: string | undefined;
  credentials?: AwsCredentialIdentity | undefined;
  timeouts?: Partial<Timeouts> | undefined;
  /** Attempts per call, retries included (MAX_ATTEMPTS unless set). */
  maxAttempts?: number | undefined;
  /** A service endpoint for every client (as AWS_ENDPOINT_URL does), e.g. an emulator. */
  endpoint?: string | undefined;
}

export function clientConfig(options: ClientOptions) {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  return {
    ...(options.region ? { region: options.region } : {}),
    retryMode: 'adaptive' as const,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    requestHandler: httpHandler(timeouts),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

interface Stack {
  middlewareStack: {
    add(
      middleware: ReturnType<typeof deadlineMiddleware>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}
type ClientClass<C> = new (config: ReturnType<typeof clientConfig>) => C;

/** A client with the auditor's retries and time limits (every client the auditor makes comes from here). */
export function makeClient<C extends Stack>(Client: ClientClass<C>, options: ClientOptions = {}): C {
  const client = new Client(clientConfig(options));
  const callMs = options.timeouts?.callMs ?? DEFAULT_TIMEOUTS.callMs;
  client.middlewareStack.add(deadlineMiddleware(callMs), {
    step: 'initialize',
    name: 'auditorDeadline',
    priority: 'high',
  });
  return client;
}

/** A client for a region, with the caller's own credentials or a member account's. */
export type ClientFactory<C> = (region: string, credentials?: AwsCredentialIdentity) => C;

/**
 * A factory for one client class. Clients with the caller's own credentials are made once per
 * region and reused (per container in Lambda); clients with temporary credentials are made per
 * call, since those credentials expire and differ per account.
 */
export function clientFactory<C extends Stack>(
  Client: ClientClass<C>,
  options: Omit<ClientOptions, 'region' | 'credentials'> = {},
): ClientFactory<C> {
  const own = new Map<string, C>();
  return (region, credentials) => {
    if (credentials)
      return makeClient(Client, { region, credentials, timeouts: options.timeouts, maxAttempts: options.maxAttempts });
    let client = own.get(region);
    if (!client) own.set(region, (client = makeClient(Client, { region, ...options })));
    return client;
  };
}
