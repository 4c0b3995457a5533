/** Live scans: every region of the caller's account through jobs/scan-scope, concurrently; optionally saved. */
import { writeFile } from 'node:fs/promises';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { clientConfig, clientFactory } from '../aws/clients';
import { enabledRegions } from '../aws/enabled-regions';
import { callerAccount } from '../aws/identity';
import { CATALOGUE } from '../checks/index';
import { CallCounter } from '../core/call-counter';
import { mapLimit } from '../core/concurrency';
import { UsageError } from '../core/errors';
import type { Params } from '../core/params';
import { awsErrorInfo } from '../core/service-errors';
import { scanScope, type ScanClients, type ScopeScan } from '../jobs/scan-scope';
import type { CliOptions } from './args';
import type { CliIo, ScanOutcome } from './types';

async function configuredRegion(profile: string | undefined): Promise<string> {
  try {
    const region = await new STSClient(clientConfig({ profile })).config.region();
    if (region) return region;
  } catch {
    // fall through to the usage error below
  }
  throw new UsageError(
    'no AWS region configured: pass --regions LIST (or all), or set AWS_REGION or a region in your profile',
  );
}

function scanClients(options: CliOptions): ScanClients {
  const { profile } = options;
  const sns = options.publish.includes('sns') && options.topic;
  return {
    ec2: clientFactory(EC2Client, { profile }),
    securityHub: options.publish.includes('securityhub') ? clientFactory(SecurityHubClient, { profile }) : undefined,
    sns: sns ? { client: new SNSClient(clientConfig({ region: sns.region, profile })), topicArn: sns.arn } : undefined,
  };
}

function progressLine(scan: ScopeScan, done: number, total: number, seconds: number): string {
  const { inventory } = scan;
  const problems = inventory.collectionErrors?.map((e) => `${e.operation}: ${e.code}`).join(', ');
  return (
    `[${done}/${total}] ${inventory.region}: ${inventory.vpcs.length} VPCs, ${inventory.vpcEndpoints.length} CodeCommit endpoints` +
    `${problems ? `; incomplete (${problems})` : ''} in ${seconds.toFixed(1)} s\n`
  );
}

function publishLine(scan: ScopeScan): string {
  const { inventory, published } = scan;
  const hub = published?.scopes[0]?.securityHub;
  const hubText = hub
    ? hub.enabled
      ? `Security Hub: ${hub.imported} imported, ${hub.archived} archived`
      : `Security Hub not available (${hub.unavailable?.code ?? ''})`
    : '';
  const alerts = `${published?.scopes[0]?.alerts ?? 0} alert(s)`;
  return `published ${inventory.accountId} ${inventory.region}: ${[hubText, alerts].filter(Boolean).join('; ')}\n`;
}

export async function liveScan(options: CliOptions, params: Params, io: CliIo): Promise<ScanOutcome> {
  const profile = options.profile;
  const home =
    Array.isArray(options.regions) && options.regions[0] ? options.regions[0] : await configuredRegion(profile);
  const counter = new CallCounter();
  const sts = clientFactory(STSClient, { profile })(home);

  let accountId: string;
  try {
    counter.add('GetCallerIdentity');
    accountId = await callerAccount(sts);
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    throw new UsageError(
      `cannot identify the AWS account: sts:GetCallerIdentity failed with ${code}: ${message} (check your credentials, --profile or AWS_PROFILE)`,
    );
  }

  const clients = scanClients(options);
  let regions: string[];
  if (options.regions === 'all') {
    try {
      counter.add('DescribeRegions');
      regions = await enabledRegions(clients.ec2(home));
    } catch (error) {
      const { code, message } = awsErrorInfo(error);
      throw new UsageError(
        `cannot list the account's regions: ec2:DescribeRegions failed with ${code}: ${message} (pass --regions LIST instead)`,
      );
    }
  } else {
    regions = options.regions ?? [home];
  }

  io.stderr(
    `Scanning account ${accountId}: ${regions.length} region(s), ${Math.min(options.concurrency, regions.length)} at a time\n`,
  );
  let done = 0;
  const now = new Date().toISOString();
  const scans = await mapLimit(regions, options.concurrency, async (region) => {
    const started = Date.now();
    const scan = await scanScope({ accountId, region }, clients, {
      params,
      catalogue: CATALOGUE,
      counter,
      now,
      reportPassed: options.reportPassed,
    });
    io.stderr(progressLine(scan, ++done, regions.length, (Date.now() - started) / 1000));
    if (scan.published) io.stderr(publishLine(scan));
    return scan;
  });

  const scopes = scans.map((scan) => scan.inventory);
  if (options.saveInventory) {
    try {
      await writeFile(options.saveInventory, `${JSON.stringify(scopes, null, 2)}\n`);
      io.stderr(`Saved the collected inventory to ${options.saveInventory}\n`);
    } catch (error) {
      throw new UsageError(`cannot write --save-inventory file ${options.saveInventory}: ${(error as Error).message}`);
    }
  }

  const failures = scans.flatMap((scan) => scan.published?.failures ?? []);
  for (const failure of failures) io.stderr(`publish failed: ${failure}\n`);
  if (options.stats) {
    io.stderr(`API calls (${counter.total()}):\n`);
    for (const [operation, count] of Object.entries(counter.toJSON())) io.stderr(`  ${operation}: ${count}\n`);
  }
  const incomplete =
    failures.length > 0
      ? [{ accountId, region: '*', reason: `${failures.length} finding(s) or alert(s) could not be published` }]
      : [];
  // Regions were scanned in the order given; the findings of each are already sorted.
  const order = [...scans].sort((a, b) => (a.inventory.region < b.inventory.region ? -1 : 1));
  return { scopes, findings: order.flatMap((scan) => scan.findings), incomplete };
}
