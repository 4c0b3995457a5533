/**
 * The bundles and the packaged template, built once per test run (offline, no AWS credentials).
 * The global setup starts `npm run package` at once on a full run; otherwise the first test file
 * that asks starts it. Whoever packages holds a lock directory and leaves a stamp for this run;
 * the others wait (asynchronously) for the stamp.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string }
  >;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

const TEMPLATE = '.serverless/cloudformation-template-update-stack.json';
export const PACKAGE_LOCK = '.serverless-package.lock';

function stampOf(run: string | undefined): string {
  return `.serverless/packaged-in-run-${run ?? 'none'}`;
}

/** Package under the lock: resolves when done (stamp written), rejects with osls's output on failure. */
export function packageUnderLock(run: string | undefined): Promise<void> | undefined {
  try {
    mkdirSync(PACKAGE_LOCK);
  } catch {
    return undefined; // someone else is packaging
  }
  return new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn('npm', ['run', '--silent', 'package'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      if (code === 0) writeFileSync(stampOf(run), '');
      rmSync(PACKAGE_LOCK, { recursive: true, force: true });
      if (code === 0) resolve();
      else reject(new Error(`npm run package failed (${code}): ${output.slice(-2000)}`));
    });
  });
}

let cached: Promise<Template> | undefined;

async function packaged(): Promise<Template> {
  const run = process.env.CCE_TEST_RUN;
  const stamp = stampOf(run);
  const deadline = Date.now() + 170_000;
  while (!existsSync(stamp)) {
    const mine = packageUnderLock(run);
    if (mine) await mine;
    else {
      if (Date.now() > deadline) throw new Error('timed out waiting for npm run package');
      await sleep(200);
    }
  }
  return JSON.parse(readFileSync(TEMPLATE, 'utf8')) as Template;
}

/** The CloudFormation template `npm run package` wrote (the bundles in dist/ come with it). */
export function packagedTemplate(): Promise<Template> {
  cached ??= packaged();
  return cached;
}

/**
 * The EventBridge pattern of CCE.14's live detection, in the auditor's and the member accounts'
 * templates alike: CodeCommit's CloudTrail events through no endpoint, or through another account's.
 */
export const TRAFFIC_PATTERN = {
  source: ['aws.codecommit'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['codecommit.amazonaws.com'],
    $or: [
      { vpcEndpointId: [{ exists: false }] },
      { vpcEndpointAccountId: [{ 'anything-but': { Ref: 'AWS::AccountId' } }] },
    ],
  },
};
