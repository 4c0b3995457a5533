/**
 * Writes infra/iam.generated.json (the actions of each function's role, read by
 * serverless.yml) and the "IAM permissions" block of the README, from the declarations in
 * functions/aws/permissions.ts. `npm run gen:iam`; a test fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CATALOGUE } from '../functions/checks/index';
import { functionActions, memberRoleActions, scanActions } from '../functions/aws/permissions';
import { PARAMETER_KEYS } from '../functions/core/params';

export function iamDocument(): string {
  const actions = functionActions();
  return `${JSON.stringify({ scheduler: actions.scheduler, worker: actions.worker, configRule: actions['config-rule'], member: memberRoleActions() }, null, 2)}\n`;
}

/** The shared parameters a Config rule carries besides its `checks` (DESIGN section 3), as deployment params. */
const SHARED_RULE_PARAMETERS = PARAMETER_KEYS.filter((key) => key !== 'checks');
const OPTIONAL_LISTS: Record<string, string> = {
  trustedAccounts: 'HasTrustedAccounts',
  trustedOrgIds: 'HasTrustedOrgIds',
};

/** One AWS::Config::ConfigRule per check, all served by the config-rule function. */
export function configRulesDocument(): string {
  const resources: Record<string, unknown> = {};
  for (const check of CATALOGUE) {
    const n = check.id.slice(4);
    const input: Record<string, unknown> = { checks: check.id };
    for (const key of SHARED_RULE_PARAMETERS) {
      const value = `\${param:${key}}`;
      input[key] = OPTIONAL_LISTS[key] ? { 'Fn::If': [OPTIONAL_LISTS[key], value, { Ref: 'AWS::NoValue' }] } : value;
    }
    resources[`ConfigRuleCce${n}`] = {
      Type: 'AWS::Config::ConfigRule',
      Condition: 'DeployConfigRules',
      DependsOn: ['ConfigRuleLambdaPermission'],
      Properties: {
        ConfigRuleName: `\${self:service}-\${sls:stage}-cce-${n}`,
        Description: `${check.id} ${check.title} (${check.severity}).`,
        InputParameters: input,
        MaximumExecutionFrequency: '${param:configFrequency}',
        Scope: { ComplianceResourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::VPCEndpoint'] },
        Source: {
          Owner: 'CUSTOM_LAMBDA',
          SourceIdentifier: { 'Fn::GetAtt': ['ConfigDashruleLambdaFunction', 'Arn'] },
          SourceDetails: [
            { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
            { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
            {
              EventSource: 'aws.config',
              MessageType: 'ScheduledNotification',
              MaximumExecutionFrequency: '${param:configFrequency}',
            },
          ],
        },
      },
    };
  }
  return `${JSON.stringify({ Resources: resources }, null, 2)}\n`;
}

export const README_START = '<!-- scan-permissions:start -->';
export const README_END = '<!-- scan-permissions:end -->';

export function readmeBlock(): string {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'CodeCommitEndpointAuditorScan', Effect: 'Allow', Action: scanActions(), Resource: '*' }],
  };
  return `${README_START}\n\`\`\`json\n${JSON.stringify(policy, null, 2)}\n\`\`\`\n${README_END}`;
}

export function withReadmeBlock(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < 0) throw new Error('README.md has no scan-permissions markers');
  return readme.slice(0, start) + readmeBlock() + readme.slice(end + README_END.length);
}

if (process.argv[1]?.endsWith('gen-iam.ts')) {
  writeFileSync('infra/iam.generated.json', iamDocument());
  writeFileSync('infra/config-rules.generated.json', configRulesDocument());
  writeFileSync('README.md', withReadmeBlock(readFileSync('README.md', 'utf8')));
  console.log('wrote infra/iam.generated.json, infra/config-rules.generated.json and the README permissions block');
}
