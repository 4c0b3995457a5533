/** Member-account credentials: AssumeRole with ExternalId, cached per account for one invocation. */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { partitionOf } from '../core/regions';

/** Temporary credentials, in the shape SDK clients accept. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

export const SESSION_PREFIX = 'codecommit-endpoint-auditor';

export function memberRoleArn(accountId: string, region: string, roleName: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${roleName}`;
}

/** Session names allow [\w+=,.@-] and 64 characters: the tool's name and the scan id. */
export function sessionName(scanId: string): string {
  return `${SESSION_PREFIX}-${scanId.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

export class CredentialCache {
  private readonly cache = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(
    private readonly sts: STSClient,
    private readonly roleName: string,
    private readonly externalId: string | undefined,
  ) {}

  get(accountId: string, region: string, scanId: string): Promise<AwsCredentialIdentity> {
    const key = `${partitionOf(region)}:${accountId}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.assume(accountId, region, scanId);
      // A failed assumption is not cached: the next task for that account tries again.
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return pending;
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
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole into ${accountId} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
}
