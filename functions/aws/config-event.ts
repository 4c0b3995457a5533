/**
 * AWS Config custom-rule events, validated at the edge. `@types/aws-lambda` has no type
 * for them; the shapes follow AWS Config's documented event: the outer event with
 * JSON-string `invokingEvent` and `ruleParameters`, and the three message types.
 */
import * as z from 'zod/mini';
import './zod';
import { ConfigEventError } from '../core/errors';
import { isJsonObject, readJson } from '../core/json';

const ConfigurationItem = z.looseObject({
  configurationItemCaptureTime: z.optional(z.nullable(z.string())),
  configurationItemStatus: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  awsAccountId: z.optional(z.string()),
  awsRegion: z.optional(z.string()),
  ARN: z.optional(z.nullable(z.string())),
  configuration: z.optional(z.nullable(z.unknown())),
  tags: z.optional(z.nullable(z.record(z.string(), z.string()))),
  relationships: z.optional(
    z.nullable(
      z.array(
        z.looseObject({
          resourceId: z.optional(z.nullable(z.string())),
          resourceType: z.optional(z.nullable(z.string())),
        }),
      ),
    ),
  ),
});
export type ConfigurationItem = z.infer<typeof ConfigurationItem>;

const ChangeNotification = z.looseObject({
  messageType: z.literal('ConfigurationItemChangeNotification'),
  configurationItem: z.nullable(ConfigurationItem),
  configurationItemDiff: z.optional(z.unknown()),
  // AWS's documented rule-event examples for changes and oversized items carry no notificationCreationTime.
  notificationCreationTime: z.optional(z.string()),
});

const OversizedNotification = z.looseObject({
  messageType: z.literal('OversizedConfigurationItemChangeNotification'),
  configurationItemSummary: z.looseObject({
    resourceType: z.string(),
    resourceId: z.string(),
    configurationItemStatus: z.string(),
    configurationItemCaptureTime: z.optional(z.nullable(z.string())),
    awsRegion: z.optional(z.string()),
    awsAccountId: z.optional(z.string()),
  }),
  notificationCreationTime: z.optional(z.string()),
});

const ScheduledNotification = z.looseObject({
  messageType: z.literal('ScheduledNotification'),
  awsAccountId: z.optional(z.string()),
  notificationCreationTime: z.optional(z.string()),
});

const InvokingEvent = z.discriminatedUnion('messageType', [
  ChangeNotification,
  OversizedNotification,
  ScheduledNotification,
]);
export type InvokingEvent = z.infer<typeof InvokingEvent>;

const ConfigRuleEvent = z.looseObject({
  invokingEvent: z.string(),
  ruleParameters: z.optional(z.string()),
  resultToken: z.string(),
  eventLeftScope: z.optional(z.boolean()),
  configRuleName: z.string(),
  configRuleArn: z.optional(z.string()),
  accountId: z.string(),
  executionRoleArn: z.optional(z.string()),
  version: z.optional(z.string()),
});

export interface DecodedConfigEvent {
  invoking: InvokingEvent;
  ruleParameters: Record<string, unknown>;
  resultToken: string;
  testMode: boolean;
  eventLeftScope: boolean;
  configRuleName: string;
  accountId: string;
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Validate and decode a Config rule event; a bad event is a ConfigEventError naming the field. */
export function decodeConfigEvent(event: unknown): DecodedConfigEvent {
  const outer = ConfigRuleEvent.safeParse(event);
  if (!outer.success) throw new ConfigEventError(`not an AWS Config rule event: ${describeIssues(outer.error)}`);
  const invoking = InvokingEvent.safeParse(readJson(outer.data.invokingEvent, 'invokingEvent', ConfigEventError));
  if (!invoking.success)
    throw new ConfigEventError(
      `invokingEvent is not a Config notification this rule handles: ${describeIssues(invoking.error)}`,
    );
  const rawParams =
    outer.data.ruleParameters === undefined || outer.data.ruleParameters.trim() === ''
      ? {}
      : readJson(outer.data.ruleParameters, 'ruleParameters', ConfigEventError);
  if (!isJsonObject(rawParams)) throw new ConfigEventError('ruleParameters must be a JSON object');
  return {
    invoking: invoking.data,
    ruleParameters: rawParams,
    resultToken: outer.data.resultToken,
    testMode: outer.data.resultToken === 'TESTMODE',
    eventLeftScope: outer.data.eventLeftScope === true,
    configRuleName: outer.data.configRuleName,
    accountId: outer.data.accountId,
  };
}
