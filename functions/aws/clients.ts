/**
 * SDK v3 clients, made in one place: adaptive retries with a bounded number of attempts, the
 * standard credential chain (or a named profile, or a member account's temporary credentials),
 * and AWS_ENDPOINT_URL, which the SDK reads itself, so emulators work without code here.
 *
 * Jobs take factories (`(region, credentials?) => client`) rather than clients, so a handler
 * makes them once per container and tests inject fakes. Each function's bundle imports only
 * the client classes its handler names.
 */

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
}

export function clientConfig(options: ClientOptions) {
  return {
    ...(options.region ? { region: options.region } : {}),
    retryMode: 'adaptive' as const,
    maxAttempts: MAX_ATTEMPTS,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/** A client for a region, with the caller's own credentials or a member account's. */
export type ClientFactory<C> = (region: string, credentials?: AwsCredentialIdentity) => C;

type ClientClass<C> = new (config: ReturnType<typeof clientConfig>) => C;

/**
 * A factory for one client class. Clients with the caller's own credentials are made once per
 * region and reused (per container in Lambda); clients with temporary credentials are made per
 * call, since those credentials expire and differ per account.
 */
export function clientFactory<C>(
  Client: ClientClass<C>,
  options: { profile?: string | undefined } = {},
): ClientFactory<C> {
  const own = new Map<string, C>();
  return (region, credentials) => {
    if (credentials) return new Client(clientConfig({ region, credentials }));
    let client = own.get(region);
    if (!client) own.set(region, (client = new Client(clientConfig({ region, profile: options.profile }))));
    return client;
  };
}
