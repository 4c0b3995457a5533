/** Live scans: collect the account's regions concurrently, evaluate, optionally save and publish. */
import { writeFile } from 'node:fs/promises';
import { CATALOGUE } from '../checks/index';
import { mapLimit } from '../core/concurrency';
import { evaluate } from '../core/engine';
import { UsageError } from '../core/errors';
import type { ScopeInventory } from '../core/inventory';
import type { Params } from '../core/params';
import { callerAccount } from '../aws/identity';
import { enabledRegions } from '../aws/enabled-regions';
import { ec2Client, stsClient } from '../aws/clients';
import { CallCounter } from '../aws/call-counter';
import { collectScope } from '../aws/collector';
import { awsErrorInfo } from '../aws/errors';
import type { CliOptions } from './args';
import type { CliIo, ScanOutcome } from './main';

async function configuredRegion(profile: string | undefined): Promise<string> {
  try {
    const region = await stsClient({ profile }).config.region();
    if (region) return region;
  } catch {
    // fall through to the usage error below
  }
  throw new UsageError(
    'no AWS region configured: pass --regions LIST (or all), or set AWS_REGION or a region in your profile',
  );
}

export async function liveScan(options: CliOptions, params: Params, io: CliIo): Promise<ScanOutcome> {
  const profile = options.profile;
  const home =
    Array.isArray(options.regions) && options.regions[0] ? options.regions[0] : await configuredRegion(profile);
  const counter = new CallCounter();

  let accountId: string;
  try {
    counter.add('GetCallerIdentity');
    accountId = await callerAccount(stsClient({ region: home, profile }));
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    throw new UsageError(
      `cannot identify the AWS account: sts:GetCallerIdentity failed with ${code}: ${message} (check your credentials, --profile or AWS_PROFILE)`,
    );
  }

  let regions: string[];
  if (options.regions === 'all') {
    try {
      counter.add('DescribeRegions');
      regions = await enabledRegions(ec2Client({ region: home, profile }));
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
  const scopes: ScopeInventory[] = await mapLimit(regions, options.concurrency, async (region) => {
    const started = Date.now();
    const scope = await collectScope(ec2Client({ region, profile }), accountId, region, { counter });
    done++;
    const problems = scope.collectionErrors?.map((e) => `${e.operation}: ${e.code}`).join(', ');
    io.stderr(
      `[${done}/${regions.length}] ${region}: ${scope.vpcs.length} VPCs, ${scope.vpcEndpoints.length} CodeCommit endpoints` +
        `${problems ? `; incomplete (${problems})` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return scope;
  });

  if (options.saveInventory) {
    try {
      await writeFile(options.saveInventory, `${JSON.stringify(scopes, null, 2)}\n`);
      io.stderr(`Saved the collected inventory to ${options.saveInventory}\n`);
    } catch (error) {
      throw new UsageError(`cannot write --save-inventory file ${options.saveInventory}: ${(error as Error).message}`);
    }
  }

  const findings = evaluate(scopes, params, CATALOGUE);
  const incomplete: ScanOutcome['incomplete'] = [];
  if (options.publish.length > 0) {
    const { publishFindings } = await import('./publish');
    incomplete.push(...(await publishFindings(options, params, scopes, findings, { profile, counter }, io)));
  }
  if (options.stats) {
    io.stderr(`API calls (${counter.total()}):\n`);
    for (const [operation, count] of Object.entries(counter.toJSON())) io.stderr(`  ${operation}: ${count}\n`);
  }
  return { scopes, findings, incomplete };
}
