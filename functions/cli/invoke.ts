/**
 * `npm run invoke -- scheduler|worker|config-rule|traffic EVENT.json [--dry-run]`: run one Lambda
 * handler locally on an event file and print its result. Honours the standard AWS credential
 * chain and AWS_ENDPOINT_URL, like the CLI. `traffic --dry-run` judges the event without any AWS
 * call and prints the finding it would publish.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errorMessage, UsageError } from '../core/errors';
import { readJson, decodeUtf8 } from '../core/json';

type Handler = (event: unknown, context?: ReturnType<typeof localContext>) => Promise<unknown>;

const HANDLERS: Record<string, () => Promise<Handler>> = {
  scheduler: async () => (await import('../handlers/scheduler')).handler,
  worker: async () => (await import('../handlers/worker')).handler,
  'config-rule': async () => (await import('../handlers/config-rule')).handler,
  traffic: async () => (await import('../handlers/traffic')).handler,
};

/** Handlers that can judge an event without AWS (`--dry-run`). */
const DRY_RUNS: Record<string, () => Promise<Handler>> = {
  traffic: async () => (await import('../jobs/traffic-preview')).previewTrafficEvent,
};

export const INVOKE_USAGE = `Usage: npm run invoke -- ${Object.keys(HANDLERS).join('|')} EVENT.json [--dry-run (traffic)]`;

/** A minimal Lambda context for local runs. */
export function localContext(name: string) {
  const deadline = Date.now() + 300 * 1000; // the functions' timeout in serverless.yml
  return {
    functionName: `codecommit-endpoint-auditor-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:codecommit-endpoint-auditor-${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'local-invoke',
    logGroupName: `/aws/lambda/codecommit-endpoint-auditor-${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function runInvoke(
  argv: readonly string[],
  io: { stdout: (t: string) => void; stderr: (t: string) => void },
): Promise<number> {
  const dryRun = argv.includes('--dry-run');
  const [name, file, ...rest] = argv.filter((a) => a !== '--dry-run');
  const load = name ? (dryRun ? DRY_RUNS[name] : HANDLERS[name]) : undefined;
  if (!load || !file || rest.length > 0) {
    const problem =
      name && HANDLERS[name] && dryRun
        ? `--dry-run is supported for ${Object.keys(DRY_RUNS).join(', ')} only`
        : !load
          ? `unknown handler ${JSON.stringify(name ?? '')}`
          : 'expected one event file';
    io.stderr(`error: ${problem}\n${INVOKE_USAGE}\n`);
    return 2;
  }
  let event: unknown;
  try {
    event = readJson(
      decodeUtf8(await readFile(file), `event file ${file}`, UsageError),
      `event file ${file}`,
      UsageError,
    );
  } catch (error) {
    io.stderr(
      `error: ${error instanceof UsageError ? error.message : `cannot read event file ${file}: ${errorMessage(error)}`}\n`,
    );
    return 2;
  }
  if (!process.env.AWS_REGION && process.env.AWS_DEFAULT_REGION)
    process.env.AWS_REGION = process.env.AWS_DEFAULT_REGION;
  try {
    const handler = await load();
    const result = await handler(event, localContext(name as string));
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    io.stderr(`error: ${name} failed: ${errorMessage(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runInvoke(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
