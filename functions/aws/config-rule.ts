/**
 * What a Config rule event asks to be evaluated: the inventory to run the engine on,
 * the resources to answer for, and the ordering timestamp. Change events read only the
 * changed resource's VPC (filtered calls); periodic events read the whole account-region.
 */
import {
  ConfigurationItemStatus,
  GetResourceConfigHistoryCommand,
  type ConfigServiceClient,
  type ConfigurationItem as SdkConfigurationItem,
} from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { NotApplicableResource, ResourceType } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import { serviceKindOf } from '../core/regions';
import type { CallCounter } from '../core/call-counter';
import { collectScope } from './collector';
import type { ConfigurationItem, DecodedConfigEvent } from './config-event';
import { endpointFromItem, vpcFromItem, vpcIdOfEndpointItem } from './config-items';

export interface ConfigWork {
  inventory: ScopeInventory | undefined;
  notApplicable: NotApplicableResource[];
  orderingTimestamp: Date;
  periodic: boolean;
}

export interface ConfigDeps {
  ec2: EC2Client;
  config: ConfigServiceClient;
  region: string;
  counter?: CallCounter;
}

const DELETED = new Set<string>([
  ConfigurationItemStatus.ResourceDeleted,
  ConfigurationItemStatus.ResourceDeletedNotRecorded,
]);
const HANDLED: readonly string[] = ['AWS::EC2::VPC', 'AWS::EC2::VPCEndpoint'];

function fromSdk(item: SdkConfigurationItem): ConfigurationItem {
  return {
    configurationItemCaptureTime: item.configurationItemCaptureTime?.toISOString(),
    configurationItemStatus: item.configurationItemStatus ?? 'OK',
    resourceType: item.resourceType ?? '',
    resourceId: item.resourceId ?? '',
    awsAccountId: item.accountId,
    awsRegion: item.awsRegion,
    ARN: item.arn,
    configuration: item.configuration,
    tags: item.tags,
    relationships: item.relationships?.map((r) => ({ resourceId: r.resourceId, resourceType: r.resourceType })),
  };
}

async function oversizedItem(
  deps: ConfigDeps,
  resourceType: string,
  resourceId: string,
): Promise<ConfigurationItem | undefined> {
  deps.counter?.add('GetResourceConfigHistory');
  const history = await deps.config.send(
    new GetResourceConfigHistoryCommand({ resourceType: resourceType as never, resourceId, limit: 1 }),
  );
  const [item] = history.configurationItems ?? [];
  return item ? fromSdk(item) : undefined;
}

function time(value: string | null | undefined, fallback: string): Date {
  const parsed = new Date(value ?? fallback);
  return Number.isNaN(parsed.getTime()) ? new Date(fallback) : parsed;
}

export async function gatherConfigWork(event: DecodedConfigEvent, deps: ConfigDeps): Promise<ConfigWork> {
  const { invoking, accountId } = event;
  const { region } = deps;
  if (invoking.messageType === 'ScheduledNotification') {
    const inventory = await collectScope(deps.ec2, accountId, region, { counter: deps.counter });
    return {
      inventory,
      notApplicable: [],
      orderingTimestamp: time(invoking.notificationCreationTime, invoking.notificationCreationTime),
      periodic: true,
    };
  }

  let item: ConfigurationItem | undefined;
  let summary:
    | {
        resourceType: string;
        resourceId: string;
        configurationItemStatus: string;
        configurationItemCaptureTime?: string | null | undefined;
      }
    | undefined;
  if (invoking.messageType === 'OversizedConfigurationItemChangeNotification') {
    summary = invoking.configurationItemSummary;
    item = await oversizedItem(deps, summary.resourceType, summary.resourceId);
  } else {
    item = invoking.configurationItem ?? undefined;
  }
  const resourceType = item?.resourceType ?? summary?.resourceType ?? '';
  const resourceId = item?.resourceId ?? summary?.resourceId ?? '';
  const status = item?.configurationItemStatus ?? summary?.configurationItemStatus ?? '';
  const orderingTimestamp = time(
    item?.configurationItemCaptureTime ?? summary?.configurationItemCaptureTime,
    invoking.notificationCreationTime,
  );
  const na = (annotation: string): ConfigWork => ({
    inventory: undefined,
    notApplicable: HANDLED.includes(resourceType)
      ? [{ resourceType: resourceType as ResourceType, resourceId, annotation }]
      : [],
    orderingTimestamp,
    periodic: false,
  });

  if (!item) return na('The configuration item could not be read.');
  if (!HANDLED.includes(resourceType)) return na(`Resource type ${resourceType} is not judged by this rule.`);
  if (event.eventLeftScope) return na('The resource left the scope of this rule.');
  if (status === ConfigurationItemStatus.ResourceNotRecorded) return na('The resource is not recorded by AWS Config.');

  if (resourceType === 'AWS::EC2::VPC') {
    if (DELETED.has(status)) return na(`VPC ${resourceId} was deleted.`);
    const inventory = await collectScope(deps.ec2, accountId, region, { vpcIds: [resourceId], counter: deps.counter });
    const fromItem = vpcFromItem(item);
    if (fromItem && !inventory.collectionErrors?.some((e) => e.data === 'vpcs' || e.data === 'scope'))
      inventory.vpcs = [fromItem];
    return { inventory, notApplicable: [], orderingTimestamp, periodic: false };
  }

  // An endpoint changed: judge it and re-judge its VPC (deleting an endpoint can make the VPC non-compliant at once).
  const vpcId = vpcIdOfEndpointItem(item);
  const notApplicable: NotApplicableResource[] = [];
  const endpoint = DELETED.has(status) ? undefined : endpointFromItem(item);
  if (DELETED.has(status))
    notApplicable.push({
      resourceType: 'AWS::EC2::VPCEndpoint',
      resourceId,
      annotation: `Endpoint ${resourceId} was deleted.`,
    });
  else if (
    !endpoint ||
    !serviceKindOf(endpoint.ServiceName, region) ||
    endpoint.VpcEndpointType.toLowerCase() !== 'interface'
  ) {
    notApplicable.push({
      resourceType: 'AWS::EC2::VPCEndpoint',
      resourceId,
      annotation: `Endpoint ${resourceId} is not a CodeCommit interface endpoint.`,
    });
  }
  if (!vpcId) return { inventory: undefined, notApplicable, orderingTimestamp, periodic: false };
  const inventory = await collectScope(deps.ec2, accountId, region, { vpcIds: [vpcId], counter: deps.counter });
  inventory.vpcEndpoints = inventory.vpcEndpoints.filter((e) => e.VpcEndpointId !== resourceId);
  if (endpoint && notApplicable.length === 0) inventory.vpcEndpoints.push(endpoint);
  return { inventory, notApplicable, orderingTimestamp, periodic: false };
}
