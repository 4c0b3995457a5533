import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { packagedTemplate, type Template, TRAFFIC_PATTERN } from './package';
import { CATALOGUE } from '../../functions/checks/index';
import { hasConfigRule } from '../../functions/core/check';

type Spec = Awaited<ReturnType<typeof loadAwsServiceSpec>>;
type PropertyType = { type: string; types?: PropertyType[]; element?: PropertyType; reference?: { $ref: string } };
type Property = { type: PropertyType; required?: boolean };

let template: Template;
let spec: Spec;

beforeAll(async () => {
  template = await packagedTemplate();
  spec = await loadAwsServiceSpec();
}, 180_000);

function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::') === true);
}

/** Problems of a value against a spec type; intrinsic functions are accepted where any value may stand. */
function check(value: unknown, type: PropertyType, path: string, problems: string[]): void {
  if (isIntrinsic(value)) return;
  switch (type.type) {
    case 'union':
      if (
        !(type.types ?? []).some((t) => {
          const p: string[] = [];
          check(value, t, path, p);
          return p.length === 0;
        })
      )
        problems.push(`${path}: matches no type of the union`);
      return;
    case 'string':
    case 'date-time':
      if (typeof value !== 'string') problems.push(`${path}: expected a string`);
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)))
        problems.push(`${path}: expected a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false')
        problems.push(`${path}: expected a boolean`);
      return;
    case 'json':
      return;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: expected a list`);
      else value.forEach((item, i) => check(item, type.element as PropertyType, `${path}[${i}]`, problems));
      return;
    case 'map':
      if (value === null || typeof value !== 'object') problems.push(`${path}: expected a map`);
      else for (const [k, v] of Object.entries(value)) check(v, type.element as PropertyType, `${path}.${k}`, problems);
      return;
    case 'ref': {
      const definition = spec.get('typeDefinition', type.reference?.$ref ?? '') as unknown as {
        properties: Record<string, Property>;
      };
      checkObject(value, definition.properties, path, problems);
      return;
    }
    default:
      return;
  }
}

function checkObject(value: unknown, properties: Record<string, Property>, path: string, problems: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  for (const [name, inner] of Object.entries(value)) {
    const property = properties[name];
    if (!property) problems.push(`${path}.${name}: no such property`);
    else check(inner, property.type, `${path}.${name}`, problems);
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) problems.push(`${path}.${name}: required but missing`);
  }
}

function getAtts(value: unknown, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((v) => getAtts(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Fn::GetAtt' && Array.isArray(v)) out.push([String(v[0]), String(v[1])]);
      else getAtts(v, out);
    }
  }
  return out;
}

describe('packaged CloudFormation template', () => {
  it('uses only real resource types and properties, with every required property', () => {
    const problems: string[] = [];
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const [definition] = spec.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
      if (!definition) {
        problems.push(`${logicalId}: unknown type ${resource.Type}`);
        continue;
      }
      checkObject(resource.Properties ?? {}, definition.properties, `${logicalId}(${resource.Type})`, problems);
    }
    expect(problems).toEqual([]);
  });

  it('reads only attributes that exist (Fn::GetAtt)', () => {
    const problems: string[] = [];
    for (const [resourceId, attribute] of getAtts(template)) {
      const target = template.Resources[resourceId];
      if (!target) {
        problems.push(`${resourceId}: no such resource`);
        continue;
      }
      const [definition] = spec.lookup('resource', 'cloudFormationType', 'equals', target.Type);
      if (!definition || !(attribute in definition.attributes))
        problems.push(`${resourceId}.${attribute}: no such attribute of ${target.Type}`);
    }
    expect(problems).toEqual([]);
  });

  it('runs nodejs22.x on arm64, each function in its own package and role', () => {
    const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual([
      'ConfigDashruleLambdaFunction',
      'SchedulerLambdaFunction',
      'TrafficLambdaFunction',
      'WorkerLambdaFunction',
    ]);
    for (const [, fn] of functions) {
      expect(fn.Properties?.Runtime).toBe('nodejs22.x');
      expect(fn.Properties?.Architectures).toEqual(['arm64']);
      expect(String(fn.Properties?.Handler)).toMatch(/^dist\/[a-z-]+\/index\.handler$/);
    }
    expect(template.Resources.WorkerLambdaFunction?.Properties?.Role).toEqual({ 'Fn::GetAtt': ['WorkerRole', 'Arn'] });
  });

  it('has the traffic rule on the default bus with read-only management events, its pattern, and an organization-only bus policy', () => {
    const rule = template.Resources.TrafficRule;
    expect(rule?.Condition).toBe('DetectTraffic');
    expect(rule?.Properties?.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rule?.Properties?.EventBusName).toBe('default');
    expect(rule?.Properties?.EventPattern).toEqual(TRAFFIC_PATTERN);
    expect(rule?.Properties?.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': ['TrafficLambdaFunction', 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['TrafficDeadLetterQueue', 'Arn'] } },
      }),
    ]);
    // Nothing lost: what EventBridge cannot deliver and what fails after Lambda's retries wait in a queue, with an alarm.
    expect(template.Resources.TrafficFailureDestination?.Properties).toMatchObject({
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['TrafficDeadLetterQueue', 'Arn'] } } },
    });
    expect(template.Resources.TrafficDeadLetterAlarm?.Properties?.AlarmActions).toEqual([{ Ref: 'AlertTopic' }]);
    expect(template.Resources.TrafficRulePermission?.Properties).toMatchObject({
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': ['TrafficRule', 'Arn'] },
    });
    const policy = template.Resources.TrafficEventBusPolicy;
    expect(policy?.Condition).toBe('ReceiveOrganizationTraffic');
    expect(policy?.Properties?.Statement).toMatchObject({
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': '' } },
    });
    expect(template.Conditions?.ReceiveOrganizationTraffic).toEqual({
      'Fn::And': [{ Condition: 'DetectTraffic' }, { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] }],
    });
    expect(template.Resources.TrafficLambdaFunction?.Properties?.Role).toEqual({
      'Fn::GetAtt': ['TrafficRole', 'Arn'],
    });
  });

  it('has a task queue with a dead-letter redrive, a visibility timeout above the worker timeout, and an alarm on the DLQ', () => {
    const queue = template.Resources.TaskQueue?.Properties ?? {};
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['TaskDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 5,
    });
    // AWS: at least six times the function timeout plus the batching window.
    const mapping = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    const window = Number(mapping?.Properties?.MaximumBatchingWindowInSeconds ?? 0);
    expect(Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(
      6 * Number(template.Resources.WorkerLambdaFunction?.Properties?.Timeout) + window,
    );
    expect(Number(queue.MessageRetentionPeriod)).toBeGreaterThanOrEqual(2 * 86_400);
    const alarm = template.Resources.DeadLetterAlarm?.Properties ?? {};
    expect(alarm.AlarmActions).toEqual([{ Ref: 'AlertTopic' }]);
    expect(alarm.Dimensions).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['TaskDeadLetterQueue', 'QueueName'] } },
    ]);
    expect(mapping?.Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('serialises the scans of each account-region: FIFO task queue and dead-letter queue', () => {
    expect(template.Resources.TaskQueue?.Properties).toMatchObject({
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    expect(template.Resources.TaskDeadLetterQueue?.Properties?.FifoQueue).toBe(true);
  });

  it("limits the worker with the event source's MaximumConcurrency, not reserved concurrency", () => {
    const mapping = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mapping?.Properties?.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
    for (const resource of Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
      expect(resource.Properties?.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('gives each Config rule only its checks; the shared parameters reach the function through its environment', () => {
    for (const rule of Object.values(template.Resources).filter((r) => r.Type === 'AWS::Config::ConfigRule')) {
      expect(Object.keys(rule.Properties?.InputParameters as object)).toEqual(['checks']);
    }
    const variables = (
      template.Resources.ConfigDashruleLambdaFunction?.Properties?.Environment as { Variables: Record<string, string> }
    ).Variables;
    expect(Object.keys(JSON.parse(variables.AUDIT_PARAMETERS ?? '{}') as object)).toContain('trustedAccounts');
  });

  it('encrypts the alert topic with KMS and lets only the auditor roles (and the DLQ alarm) publish', () => {
    expect(template.Resources.AlertTopic?.Properties?.KmsMasterKeyId).toEqual({ Ref: 'AlertKey' });
    const policy = JSON.stringify(template.Resources.AlertTopicPolicy?.Properties?.PolicyDocument);
    expect(policy).toContain('"Effect":"Deny"');
    expect(policy).toContain('WorkerRole');
    expect(policy).not.toContain('SchedulerRole');
  });

  it('writes scan reports only when reportBucket is set, to a bucket it creates only for "create"', () => {
    // Packaged with the defaults: reportBucket empty, reportRetentionDays 90.
    expect(template.Conditions?.WriteReports).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    expect(template.Conditions?.CreateReportBucket).toEqual({ 'Fn::Equals': ['', 'create'] });
    const bucketName = { 'Fn::If': ['CreateReportBucket', { Ref: 'ReportBucket' }, ''] };
    const variables = (
      template.Resources.WorkerLambdaFunction?.Properties?.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(variables.REPORT_BUCKET).toEqual(bucketName);
    expect(variables.REPORT_BUCKET_OWNER).toEqual({ Ref: 'AWS::AccountId' });
    expect(template.Outputs?.ReportBucketName).toMatchObject({ Condition: 'WriteReports', Value: bucketName });
    for (const id of ['ReportBucket', 'ReportBucketPolicy'])
      expect(template.Resources[id]?.Condition).toBe('CreateReportBucket');
  });

  it('keeps the reports private, encrypted, unversioned, over TLS only, written by the worker only, for 90 days', () => {
    const bucket = template.Resources.ReportBucket as { DeletionPolicy?: string; Properties: Record<string, unknown> };
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } });
    expect(rules[0]).not.toHaveProperty('Prefix');
    expect(Number(rules[0]?.ExpirationInDays)).toBe(90);

    const policy = template.Resources.ReportBucketPolicy?.Properties as {
      Bucket: unknown;
      PolicyDocument: { Statement: Record<string, unknown>[] };
    };
    expect(policy.Bucket).toEqual({ Ref: 'ReportBucket' });
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ReportBucket', 'Arn'] }, '/*']] };
    expect(policy.PolicyDocument.Statement).toEqual([
      {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [{ 'Fn::GetAtt': ['ReportBucket', 'Arn'] }, objects],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'OnlyTheWorkerWritesReports',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': ['WorkerRole', 'Arn'] } } },
      },
    ]);
  });

  it('wires one Config rule per VPC or endpoint check to the config-rule function, with the invoke permission scoped to the account', () => {
    const rules = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Config::ConfigRule');
    // Config records VPCs and endpoints; the account-level checks need the organization's SCPs, CCE.14
    // reads CloudTrail: no rule.
    expect(rules).toHaveLength(CATALOGUE.filter(hasConfigRule).length);
    expect(rules.map(([id]) => id)).not.toContain('ConfigRuleCce12');
    expect(rules.map(([id]) => id)).not.toContain('ConfigRuleCce14');
    for (const [id, rule] of rules) {
      const source = rule.Properties?.Source as {
        Owner: string;
        SourceIdentifier: unknown;
        SourceDetails: { MessageType: string }[];
      };
      expect(source.Owner).toBe('CUSTOM_LAMBDA');
      expect(source.SourceIdentifier).toEqual({ 'Fn::GetAtt': ['ConfigDashruleLambdaFunction', 'Arn'] });
      expect(source.SourceDetails.map((d) => d.MessageType).sort()).toEqual([
        'ConfigurationItemChangeNotification',
        'OversizedConfigurationItemChangeNotification',
        'ScheduledNotification',
      ]);
      expect((rule.Properties?.InputParameters as { checks: string }).checks).toBe(
        `CCE.${id.replace('ConfigRuleCce', '')}`,
      );
      expect(rule.DependsOn).toContain('ConfigRuleLambdaPermission');
    }
    expect(template.Resources.ConfigRuleLambdaPermission?.Properties).toMatchObject({
      Principal: 'config.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      Action: 'lambda:InvokeFunction',
    });
  });
});
