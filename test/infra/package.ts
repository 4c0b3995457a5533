/** Builds the bundles and packages the template once per test run (offline, no AWS credentials). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string }
  >;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

let cached: Template | undefined;

export function packagedTemplate(): Template {
  if (!cached) {
    execFileSync('npm', ['run', '--silent', 'package'], {
      stdio: 'pipe',
      env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' },
    });
    cached = JSON.parse(readFileSync('.serverless/cloudformation-template-update-stack.json', 'utf8')) as Template;
  }
  return cached;
}
