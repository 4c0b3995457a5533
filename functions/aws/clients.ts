/**
 * SDK v3 client construction in one place: adaptive retries with a bounded number of
 * attempts, the standard credential chain (or a named profile), and AWS_ENDPOINT_URL,
 * which the SDK reads itself, so emulators work without code here.
 */
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';

export const MAX_ATTEMPTS = 8;

export interface ClientOptions {
  region?: string | undefined;
  profile?: string | undefined;
  credentials?: EC2ClientConfig['credentials'];
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

export function ec2Client(options: ClientOptions): EC2Client {
  return new EC2Client(clientConfig(options));
}

export function stsClient(options: ClientOptions): STSClient {
  return new STSClient(clientConfig(options));
}
