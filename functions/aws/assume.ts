/**
 * Which credentials scan an account: the caller's own where the account is the caller's, else
 * the member role assumed with its ExternalId. Failures are never cached: a failed
 * GetCallerIdentity or AssumeRole is tried again by the next task.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsResponseError } from '../core/errors';
import { partitionOf } from '../core/regions';
import type { AwsCredentialIdentity } from './clients';
import { callerAccount } from './identity';

export const SESSION_PREFIX = 'codecommit-endpoint-auditor';

export function memberRoleArn(accountId: string, region: string, roleName: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${roleName}`;
}

/** Session names allow [\w+=,.@-] and 64 characters: the tool's name and the scan id. */
export function sessionName(scanId: string): string {
  return `${SESSION_PREFIX}-${scanId.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

/** Remember a promise only once it has succeeded: a rejected one is dropped so the next caller retries. */
function keepIfFulfilled<K, V>(cache: Map<K, Promise<V>>, key: K, make: () => Promise<V>): Promise<V> {
  let pending = cache.get(key);
  if (!pending) {
    pending = make();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

export class MemberCredentials {
  private readonly own = new Map<'own', Promise<string>>();
  private assumed = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(
    private readonly sts: STSClient,
    private readonly roleName: string,
    private readonly externalId: string | undefined,
  ) {}

  /** The caller's account id, read once per container (once it has been read successfully). */
  ownAccount(): Promise<string> {
    return keepIfFulfilled(this.own, 'own', () => callerAccount(this.sts));
  }

  /** Credentials for scanning the account: undefined means the caller's own (it is the caller's account). */
  async for(accountId: string, region: string, scanId: string): Promise<AwsCredentialIdentity | undefined> {
    if ((await this.ownAccount()) === accountId) return undefined;
    const key = `${partitionOf(region)}:${accountId}`;
    return keepIfFulfilled(this.assumed, key, () => this.assume(accountId, region, scanId));
  }

  /** Drop assumed credentials (at the start of an invocation: they last 15 minutes). */
  forgetAssumed(): void {
    this.assumed = new Map();
  }

  private async assume(accountId: string, region: string, scanId: string): Promise<AwsCredentialIdentity> {
    const result = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: memberRoleArn(accountId, region, this.roleName),
        RoleSessionName: sessionName(scanId),
        DurationSeconds: 900,
        ...(this.externalId ? { ExternalId: this.externalId } : {}),
      }),
    );
    const c = result.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new AwsResponseError(`AssumeRole into ${accountId} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
}
