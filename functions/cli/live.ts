/** Live scans: every region of the caller's account through jobs/scan-scope, concurrently; optionally saved. */
import { lstat } from 'node:fs/promises';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { clientFactory, makeClient } from '../aws/clients';
import { enabledRegions } from '../aws/enabled-regions';
import { readAccountOrganization } from '../aws/organization';
import { isAccountLevel } from '../core/check';
import { callerAccount } from '../aws/identity';
import { CATALOGUE } from '../checks/index';
import { CallCounter } from '../core/call-counter';
import { mapLimit } from '../core/concurrency';
import { ScanFailedError, UsageError } from '../core/errors';
import type { Params } from '../core/params';
import { awsErrorInfo } from '../core/service-errors';
import { PUBLISH_RESERVE_MS } from '../jobs/deadlines';
import { lookbackWindow } from '../aws/cloudtrail';
import { scanScope, type AccountLevelInput, type ScanClients, type ScopeScan } from '../jobs/scan-scope';
import type { CliOptions } from './args';
import { writeOwnerOnly } from './outputs';
import { scanProgress } from './progress';
import type { CliIo, ScanOutcome } from './types';

async function configuredRegion(profile: string | undefined): Promise<string> {
  try {
    const region = await makeClient(STSClient, { profile }).config.region();
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
  // A dry run collects and evaluates, and publishes nothing: the CLI prints the messages instead.
  const publish = options.dryRun ? [] : options.publish;
  const sns = publish.includes('sns') && options.topic;
  return {
    ec2: clientFactory(EC2Client, { profile }),
    iam: clientFactory(IAMClient, { profile }),
    cloudTrail: clientFactory(CloudTrailClient, { profile }),
    securityHub: publish.includes('securityhub') ? clientFactory(SecurityHubClient, { profile }) : undefined,
    sns: sns ? { client: makeClient(SNSClient, { region: sns.region, profile }), topicArn: sns.arn } : undefined,
  };
}

function progressLine(scan: ScopeScan, done: number, total: number, seconds: number): string {
  const { inventory } = scan;
  const problems = inventory.collectionErrors?.map((e) => `${e.operation}: ${e.code}`).join(', ');
  return (
    `[${done}/${total}] ${inventory.region}: ${inventory.vpcs.length} VPCs, ${inventory.vpcEndpoints.length} CodeCommit endpoints` +
    `${inventory.cloudTrailEvents ? `, ${inventory.cloudTrailEvents.length} CodeCommit events` : ''}` +
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

/** Before a long scan: the --save-inventory file must not exist (unless --force) and must not be a link. */
async function checkSaveTarget(path: string, force: boolean): Promise<void> {
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UsageError(`cannot write --save-inventory file ${path}: ${error.message}`);
  });
  if (!existing) return;
  if (existing.isSymbolicLink())
    throw new UsageError(`--save-inventory ${path} is a symbolic link; give the path of a regular file`);
  if (!existing.isFile()) throw new UsageError(`--save-inventory ${path} exists and is not a regular file`);
  if (!force) throw new UsageError(`--save-inventory ${path} exists; pass --force to replace it`);
}

/**
 * Write the inventory readable by its owner only (endpoint policies and account ids are
 * sensitive): never through a symbolic link, never over a file unless --force.
 */
async function saveInventory(path: string, force: boolean, scopes: readonly unknown[]): Promise<void> {
  await checkSaveTarget(path, force);
  await writeOwnerOnly(
    path,
    [`${JSON.stringify(scopes, null, 2)}\n`],
    force,
    `cannot write --save-inventory file ${path}`,
  );
}

/** The account's organization and SCPs, read with the caller's credentials (management account or delegated administrator). */
async function accountLevelOf(
  accountId: string,
  home: string,
  profile: string | undefined,
  counter: CallCounter,
): Promise<AccountLevelInput> {
  const local = new CallCounter();
  try {
    const client = makeClient(OrganizationsClient, { region: home, profile });
    return { organization: await readAccountOrganization(client, accountId, local) };
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    return {
      organization: undefined,
      organizationError: { operation: local.last ?? 'DescribeOrganization', code, message },
    };
  } finally {
    counter.merge(local);
  }
}

export async function liveScan(options: CliOptions, params: Params, io: CliIo): Promise<ScanOutcome> {
  const profile = options.profile;
  if (options.saveInventory) await checkSaveTarget(options.saveInventory, options.force);
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
    throw new ScanFailedError(
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
      throw new ScanFailedError(
        `cannot list the account's regions: ec2:DescribeRegions failed with ${code}: ${message} (pass --regions LIST instead)`,
      );
    }
  } else {
    regions = options.regions ?? [home];
  }

  const progress = scanProgress({
    mode: options.quiet ? 'quiet' : io.stderrIsTTY ? 'bar' : 'lines',
    total: regions.length,
    write: io.stderr,
    calls: () => counter.total(),
    columns: io.stderrColumns,
  });
  progress.note(
    `Scanning account ${accountId}: ${regions.length} region(s), ${Math.min(options.concurrency, regions.length)} at a time\n`,
  );
  // The account-level checks run once, on the first region's scope.
  const wantsAccount = params.checks.some((id) => CATALOGUE.some((c) => c.id === id && isAccountLevel(c)));
  const accountLevel = wantsAccount ? await accountLevelOf(accountId, regions[0] ?? home, profile, counter) : undefined;
  let done = 0;
  const now = new Date().toISOString();
  // CCE.14: the look-back window (trafficLookbackHours, or --since), the same for every region; every
  // event is kept, so --save-inventory records what was judged.
  const window = lookbackWindow(new Date(now), params.trafficLookbackHours);
  const scans = await mapLimit(regions, options.concurrency, async (region) => {
    const started = Date.now();
    const collectBy = started + options.timeout * 1000;
    const scan = await scanScope({ accountId, region }, clients, {
      accountLevel: region === regions[0] ? accountLevel : undefined,
      traffic: { window, keepEvents: true },
      deadlines: { collect: collectBy, publish: collectBy + PUBLISH_RESERVE_MS },
      params,
      catalogue: CATALOGUE,
      counter,
      now,
      reportPassed: options.reportPassed,
    });
    const problem = (scan.inventory.collectionErrors?.length ?? 0) > 0;
    progress.scopeDone(progressLine(scan, ++done, regions.length, (Date.now() - started) / 1000), problem);
    if (scan.published) progress.note(publishLine(scan));
    return scan;
  }).finally(() => progress.end());

  const scopes = scans.map((scan) => scan.inventory);
  // A file that cannot be written after the scan loses nothing else: the findings are still printed (exit 3).
  let notSaved: string | undefined;
  if (options.saveInventory) {
    try {
      await saveInventory(options.saveInventory, options.force, scopes);
      progress.note(`Saved the collected inventory to ${options.saveInventory} (readable by its owner only)\n`);
    } catch (error) {
      notSaved = (error as Error).message;
      io.stderr(`error: ${notSaved}\n`);
    }
  }

  const failures = scans.flatMap((scan) => scan.published?.failures ?? []);
  for (const failure of failures) io.stderr(`publish failed: ${failure}\n`);
  if (options.stats) {
    io.stderr(`API calls (${counter.total()}):\n`);
    for (const [operation, count] of Object.entries(counter.toJSON())) io.stderr(`  ${operation}: ${count}\n`);
  }
  const incomplete = [
    ...(failures.length > 0
      ? [{ accountId, region: '*', reason: `${failures.length} finding(s) or alert(s) could not be published` }]
      : []),
    ...(notSaved ? [{ accountId, region: '*', reason: `inventory not saved: ${notSaved}` }] : []),
  ];
  // Regions were scanned in the order given; the findings of each are already sorted.
  const order = [...scans].sort((a, b) => (a.inventory.region < b.inventory.region ? -1 : 1));
  return { scopes, findings: order.flatMap((scan) => scan.findings), incomplete };
}
