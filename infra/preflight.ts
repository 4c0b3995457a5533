/**
 * `npm run preflight -- [--region R] [--profile P] [--param key=value ...] [--member-stackset NAME]`:
 * checks the target account before `osls deploy`, with the deployment's parameters
 * (serverless.yml's defaults overlaid with the same `--param key=value` the deploy takes).
 * Exit 0 when a deploy would work, 1 when a check failed, 2 for bad usage.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { makeClient } from '../functions/aws/clients';
import { callerAccount } from '../functions/aws/identity';
import { errorMessage } from '../functions/core/errors';
import { isRegionCode } from '../functions/core/regions';
import { awsErrorInfo } from '../functions/core/service-errors';
import { loadCfnYaml } from './cfn-yaml';
import { preflight, type PreflightClients } from './preflight-checks';

export const PREFLIGHT_USAGE = `Usage: npm run preflight -- [--region REGION] [--profile NAME] [--param key=value ...] [--member-stackset NAME]
  --region           the region to deploy to (default: the configured region)
  --profile          AWS profile of the deploying identity
  --param key=value  a deployment parameter, as osls deploy takes it (repeatable)
  --member-stackset  the StackSet that deploys infra/member-role.yml, to check its instances
Exit codes: 0 ready to deploy, 1 a check failed, 2 bad usage.`;

/** serverless.yml's params.default, every value as a string. */
export function defaultParams(path = 'serverless.yml'): Record<string, string> {
  const document = loadCfnYaml(readFileSync(path, 'utf8')) as { params?: { default?: Record<string, unknown> } };
  return Object.fromEntries(
    Object.entries(document.params?.default ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '',
    ]),
  );
}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runPreflight(
  argv: readonly string[],
  io: Io,
  makeClients?: (region: string) => PreflightClients & { sts: STSClient },
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        region: { type: 'string' },
        profile: { type: 'string' },
        param: { type: 'string', multiple: true, default: [] },
        'member-stackset': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    io.stderr(`error: ${errorMessage(error).split('\n')[0] ?? ''}\n${PREFLIGHT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${PREFLIGHT_USAGE}\n`);
    return 0;
  }
  const params = defaultParams();
  for (const pair of values.param) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      io.stderr(`error: --param ${pair}: expected key=value\n`);
      return 2;
    }
    const key = pair.slice(0, at);
    if (!(key in params)) {
      io.stderr(
        `error: --param ${key}: not a parameter of serverless.yml (known: ${Object.keys(params).join(', ')})\n`,
      );
      return 2;
    }
    params[key] = pair.slice(at + 1);
  }
  const profile = values.profile;
  const region =
    values.region ??
    (await makeClient(STSClient, { profile })
      .config.region()
      .catch(() => undefined));
  if (!region || !isRegionCode(region)) {
    io.stderr(
      `error: ${region ? `--region ${region}: not an AWS region code` : 'no region: pass --region or set AWS_REGION'}\n`,
    );
    return 2;
  }
  const config = { region, profile };
  const clients = makeClients?.(region) ?? {
    sts: makeClient(STSClient, config),
    config: makeClient(ConfigServiceClient, config),
    securityHub: makeClient(SecurityHubClient, config),
    organizations: makeClient(OrganizationsClient, config),
    lambda: makeClient(LambdaClient, config),
    cloudFormation: makeClient(CloudFormationClient, config),
  };
  let accountId: string;
  try {
    accountId = await callerAccount(clients.sts);
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    io.stderr(`error: cannot identify the AWS account: ${code}: ${message} (check your credentials or --profile)\n`);
    return 1;
  }
  io.stdout(
    `Preflight for account ${accountId}, region ${region} (targetAccounts=${params.targetAccounts ?? 'self'}, configRules=${params.configRules ?? 'true'})\n`,
  );
  const lines = await preflight(clients, { accountId, region, params, memberStackSet: values['member-stackset'] });
  for (const l of lines) io.stdout(`${l.outcome.padEnd(5)} ${l.check}: ${l.message}\n`);
  const failed = lines.filter((l) => l.outcome === 'FAIL').length;
  io.stdout(failed > 0 ? `\n${failed} check(s) failed: fix them before deploying.\n` : '\nReady to deploy.\n');
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runPreflight(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
