/**
 * One account-region, end to end: collect → evaluate → publish. The worker runs it per queued
 * task, the CLI's live scan per region; both wire the clients and print or log the outcome.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentity, ClientFactory } from '../aws/clients';
import { collectScope } from '../aws/collector';
import type { CallCounter } from '../core/call-counter';
import type { Check } from '../core/check';
import { evaluate, incompleteScopes } from '../core/engine';
import type { Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import type { Params } from '../core/params';
import { publishScan, type PublishReport } from '../publish/index';
import { within, type Deadlines } from './deadlines';

export interface ScanClients {
  ec2: ClientFactory<EC2Client>;
  /** Set to import findings into the scanned account's Security Hub. */
  securityHub?: ClientFactory<SecurityHubClient> | undefined;
  /** Set to send alerts (topic in the auditor's account, caller's own credentials). */
  sns?: { client: SNSClient; topicArn: string } | undefined;
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
  const { deadlines } = options;
  const inventory = await within(deadlines?.collect, 'collection', () =>
    collectScope(clients.ec2(region, credentials), accountId, region, { counter }),
  );
  const findings = evaluate([inventory], options.params, options.catalogue);
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
          checksRun: options.params.checks,
          reportPassed: options.reportPassed ?? false,
          counter,
          sleep: options.sleep,
        },
      ),
    );
  }
  return { inventory, findings, incomplete, published };
}
