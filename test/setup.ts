import { afterAll, expect } from 'vitest';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

expect.extend(allCustomMatcher);

// Test files share module state (isolate: false): a prototype stub left by one file would fake
// AWS for the next. aws-sdk-client-mock stubs `send` with a sinon stub, which has `restore`.
const CLIENTS = {
  ConfigServiceClient,
  EC2Client,
  OrganizationsClient,
  SecurityHubClient,
  SNSClient,
  SQSClient,
  STSClient,
};
// Likewise the environment: a file that changes a variable must put it back (vi.stubEnv does).
const environment = { ...process.env };
afterAll(() => {
  const changed = [...new Set([...Object.keys(environment), ...Object.keys(process.env)])].filter(
    // Powertools sets its user-agent variable on import.
    (key) => environment[key] !== process.env[key] && key !== 'AWS_SDK_UA_APP_ID',
  );
  expect(changed.map((key) => `process.env.${key} was changed and not restored`)).toEqual([]);
  const stubbed = Object.entries(CLIENTS).filter(
    ([, Client]) => 'restore' in (Reflect.get(Client.prototype, 'send') as object),
  );
  expect(stubbed.map(([name]) => `${name}.prototype.send is still mocked: call restore() in afterEach`)).toEqual([]);
});
