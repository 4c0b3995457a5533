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
import type { NotApplicableResource } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import { serviceKindOf } from '../core/regions';
import type { CallCounter } from '../core/call-counter';
import { collectScope, vpcOfEndpoint } from './collector';
import type { ConfigurationItem, DecodedConfigEvent, InvokingEvent } from './config-event';
import { endpointFromItem, serviceNameOfItem, vpcFromItem, vpcIdOfEndpointItem } from './config-items';

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
  now?: () => Date;
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

/** Items of a resource, newest first (AWS Config's default order), as the event delivers them. */
async function history(
  deps: ConfigDeps,
  resourceType: string,
  resourceId: string,
  limit: number,
): Promise<ConfigurationItem[]> {
  deps.counter?.add('GetResourceConfigHistory');
  const page = await deps.config.send(
    new GetResourceConfigHistoryCommand({ resourceType: resourceType as never, resourceId, limit }),
  );
  return (page.configurationItems ?? []).map(fromSdk);
}

/** The first valid date of the candidates (capture time, notification time), else now: never NaN in a request. */
function timestamp(candidates: (string | null | undefined)[], now: Date): Date {
  for (const value of candidates) {
    if (!value) continue;
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  return now;
}

interface Subject {
  resourceType: string;
  resourceId: string;
  status: string;
  captureTime: string | null | undefined;
  item: ConfigurationItem | undefined;
}

function subjectOf(invoking: Exclude<InvokingEvent, { messageType: 'ScheduledNotification' }>): Subject {
  if (invoking.messageType === 'OversizedConfigurationItemChangeNotification') {
    const s = invoking.configurationItemSummary;
    const status = s.configurationItemStatus;
    return {
      resourceType: s.resourceType,
      resourceId: s.resourceId,
      status,
      captureTime: s.configurationItemCaptureTime,
      item: undefined,
    };
  }
  const item = invoking.configurationItem ?? undefined;
  return {
    resourceType: item?.resourceType ?? '',
    resourceId: item?.resourceId ?? '',
    status: item?.configurationItemStatus ?? '',
    captureTime: item?.configurationItemCaptureTime,
    item,
  };
}

/**
 * The VPC of a changed endpoint: from its item, else from its last item that has a configuration
 * (deletion items have neither configuration nor relationships), else from EC2, which still
 * describes a recently deleted endpoint. Undefined when none knows: the region is re-judged.
 */
async function vpcOfChangedEndpoint(deps: ConfigDeps, subject: Subject): Promise<string | undefined> {
  const fromItem = vpcIdOfEndpointItem(subject.item);
  if (fromItem) return fromItem;
  const earlier = await history(deps, subject.resourceType, subject.resourceId, 5);
  for (const item of earlier) {
    const vpcId = vpcIdOfEndpointItem(item);
    if (vpcId) return vpcId;
  }
  return vpcOfEndpoint(deps.ec2, subject.resourceId, deps.counter);
}

export async function gatherConfigWork(event: DecodedConfigEvent, deps: ConfigDeps): Promise<ConfigWork> {
  const { invoking, accountId } = event;
  const { region } = deps;
  const now = deps.now?.() ?? new Date();
  if (invoking.messageType === 'ScheduledNotification') {
    const inventory = await collectScope(deps.ec2, accountId, region, { counter: deps.counter });
    return {
      inventory,
      notApplicable: [],
      orderingTimestamp: timestamp([invoking.notificationCreationTime], now),
      periodic: true,
    };
  }

  const subject = subjectOf(invoking);
  const { resourceType, resourceId, status } = subject;
  const orderingTimestamp = timestamp([subject.captureTime, invoking.notificationCreationTime], now);
  const work = (inventory: ScopeInventory | undefined, notApplicable: NotApplicableResource[] = []): ConfigWork => ({
    inventory,
    notApplicable,
    orderingTimestamp,
    periodic: false,
  });
  const na = (annotation: string): ConfigWork => work(undefined, [{ resourceType, resourceId, annotation }]);

  // Decided from the event alone, before any call: out-of-scope types cost nothing.
  if (!HANDLED.includes(resourceType)) return na(`Resource type ${resourceType} is not judged by this rule.`);
  if (event.eventLeftScope) return na('The resource left the scope of this rule.');
  if (status === ConfigurationItemStatus.ResourceNotRecorded) return na('The resource is not recorded by AWS Config.');
  const deleted = DELETED.has(status);
  if (invoking.messageType === 'OversizedConfigurationItemChangeNotification' && !deleted) {
    subject.item = (await history(deps, resourceType, resourceId, 1))[0];
  }

  if (resourceType === 'AWS::EC2::VPC') {
    if (deleted) return na(`VPC ${resourceId} was deleted.`);
    const inventory = await collectScope(deps.ec2, accountId, region, { vpcIds: [resourceId], counter: deps.counter });
    const fromItem = subject.item && vpcFromItem(subject.item);
    const read = !inventory.collectionErrors?.some((e) => e.data === 'vpcs' || e.data === 'scope');
    if (fromItem && read) inventory.vpcs = [fromItem];
    // An oversized item whose history is empty is judged from what EC2 says now.
    if (read && inventory.vpcs.length === 0) return na(`VPC ${resourceId} no longer exists.`);
    return work(inventory);
  }

  // An endpoint changed: judge it and re-judge its VPC (deleting an endpoint can make the VPC non-compliant at once).
  const notApplicable: NotApplicableResource[] = [];
  const endpoint = deleted || !subject.item ? undefined : endpointFromItem(subject.item);
  const service = subject.item && serviceNameOfItem(subject.item);
  if (deleted) notApplicable.push({ resourceType, resourceId, annotation: `Endpoint ${resourceId} was deleted.` });
  else if (
    (endpoint &&
      (!serviceKindOf(endpoint.ServiceName, region) || endpoint.VpcEndpointType.toLowerCase() !== 'interface')) ||
    (!endpoint && service !== undefined && !serviceKindOf(service, region))
  ) {
    notApplicable.push({
      resourceType,
      resourceId,
      annotation: `Endpoint ${resourceId} is not a CodeCommit interface endpoint.`,
    });
  }
  const vpcId = await vpcOfChangedEndpoint(deps, subject);
  // Nobody knows the endpoint's VPC: judge every VPC of the region (not a periodic run: nothing is swept).
  const inventory = await collectScope(deps.ec2, accountId, region, {
    ...(vpcId ? { vpcIds: [vpcId] } : {}),
    counter: deps.counter,
  });
  // The item describes the change that triggered this event; EC2 may not show it yet.
  if (endpoint && notApplicable.length === 0) {
    inventory.vpcEndpoints = [...inventory.vpcEndpoints.filter((e) => e.VpcEndpointId !== resourceId), endpoint];
  } else if (notApplicable.length > 0) {
    inventory.vpcEndpoints = inventory.vpcEndpoints.filter((e) => e.VpcEndpointId !== resourceId);
  }
  return work(inventory, notApplicable);
}
