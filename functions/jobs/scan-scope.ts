/**
 * One account-region, end to end: collect → evaluate → publish. The worker runs it per queued
 * task, the CLI's live scan per region; both wire the clients and print or log the outcome.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentity, ClientFactory } from '../aws/clients';
import { collectScope } from '../aws/collector';
import { collectIam } from '../aws/iam';
import { mayUseGitFromOutside } from '../checks/cce-13';
import { isAccountLevel } from '../core/check';
import { partitionOf } from '../core/regions';
import { awsErrorInfo } from '../core/service-errors';
import type { CallCounter } from '../core/call-counter';
import type { Check } from '../core/check';
import { evaluate, incompleteScopes } from '../core/engine';
import type { Finding } from '../core/finding';
import type { CollectionError, OrganizationData, ScopeInventory } from '../core/inventory';
import type { Params } from '../core/params';
import { publishScan, type PublishReport } from '../publish/index';
import { within, type Deadlines } from './deadlines';

export interface ScanClients {
  ec2: ClientFactory<EC2Client>;
  /** Set to import findings into the scanned account's Security Hub. */
  securityHub?: ClientFactory<SecurityHubClient> | undefined;
  /** Set to send alerts (topic in the auditor's account, caller's own credentials). */
  sns?: { client: SNSClient; topicArn: string } | undefined;
  /** IAM, for the account-level checks (CCE.13, and CCE.12 in a management account). */
  iam?: ClientFactory<IAMClient> | undefined;
}

/** The account-level checks run on this scope: the organization's data, as read by the scheduler (or the CLI). */
export interface AccountLevelInput {
  /** undefined: not read (see `organizationError`); null: the account belongs to no organization. */
  organization: OrganizationData | null | undefined;
  organizationError?: Omit<CollectionError, 'data'> | undefined;
}

export interface ScanScopeOptions {
  params: Params;
  catalogue: readonly Check[];
  counter: CallCounter;
  /** The member account's credentials; undefined for the caller's own account. */
  credentials?: AwsCredentialIdentity | undefined;
  /** Now, ISO 8601, for Security Hub timestamps. */
  now: string;
  reportPassed?: boolean | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** When collection and publishing must end (jobs/deadlines); none: only each call's own limits. */
  deadlines?: Deadlines | undefined;
  /** Set on the one scope per account that answers for the account (CCE.12, CCE.13). */
  accountLevel?: AccountLevelInput | undefined;
}

/** Add the account-level data to the scope: the organization as given, the account's IAM as read now. */
async function collectAccountLevel(
  inventory: ScopeInventory,
  input: AccountLevelInput,
  clients: ScanClients,
  options: ScanScopeOptions,
): Promise<void> {
  const errors = (inventory.collectionErrors ??= []);
  if (input.organizationError) errors.push({ data: 'organization', ...input.organizationError });
  else if (input.organization !== undefined) inventory.organization = input.organization;
  if (!clients.iam) {
    errors.push({
      data: 'iam',
      operation: 'GetAccountAuthorizationDetails',
      code: 'NotCollected',
      message: 'no IAM client',
    });
    return;
  }
  const where = {
    accountId: inventory.accountId,
    region: inventory.region,
    partition: partitionOf(inventory.region),
    params: options.params,
  };
  const counter = options.counter;
  try {
    inventory.iam = await collectIam(clients.iam(inventory.region, options.credentials), {
      needsSshKeys: (user, data) => mayUseGitFromOutside(data, user, where),
      counter,
    });
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    errors.push({ data: 'iam', operation: counter.last ?? 'GetAccountAuthorizationDetails', code, message });
  }
  if (errors.length === 0) delete inventory.collectionErrors;
}

export interface ScopeScan {
  inventory: ScopeInventory;
  findings: Finding[];
  /** Why the collection was incomplete, if it was (exit code 3, no archiving). */
  incomplete: string | undefined;
  /** What publishing did, when a target was given. */
  published: PublishReport | undefined;
}

export async function scanScope(
  target: { accountId: string; region: string },
  clients: ScanClients,
  options: ScanScopeOptions,
): Promise<ScopeScan> {
  const { accountId, region } = target;
  const { credentials, counter } = options;
  const { deadlines, accountLevel } = options;
  const inventory = await within(deadlines?.collect, 'collection', async () => {
    const collected = await collectScope(clients.ec2(region, credentials), accountId, region, { counter });
    if (accountLevel) await collectAccountLevel(collected, accountLevel, clients, options);
    return collected;
  });
  // The account-level checks run on the one scope per account that answers for the account.
  const params = accountLevel
    ? options.params
    : {
        ...options.params,
        checks: options.params.checks.filter((id) => !options.catalogue.some((c) => c.id === id && isAccountLevel(c))),
      };
  const findings = evaluate([inventory], params, options.catalogue);
  const incomplete = incompleteScopes([inventory])[0]?.reason;
  let published: PublishReport | undefined;
  if (clients.securityHub || clients.sns) {
    const securityHub = clients.securityHub;
    published = await within(deadlines?.publish, 'publishing', () =>
      publishScan(
        [inventory],
        findings,
        {
          ...(securityHub ? { securityHub: () => securityHub(region, credentials) } : {}),
          ...(clients.sns ? { sns: clients.sns } : {}),
        },
        {
          now: options.now,
          checksRun: params.checks,
          reportPassed: options.reportPassed ?? false,
          counter,
          sleep: options.sleep,
        },
      ),
    );
  }
  return { inventory, findings, incomplete, published };
}
