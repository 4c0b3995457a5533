/**
 * AWS Config configuration items → inventory items: Config records the Describe* output
 * with camelCase keys; the inventory keeps AWS's API names (PascalCase). One resource
 * shape, two sources. Config's schema may record a state as `{ "value": "available" }`
 * (and older items as a plain string): both are read.
 */
import type { AwsTag, Vpc, VpcEndpoint } from '../core/inventory';
import type { ConfigurationItem } from './config-event';

function pascal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascal);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.charAt(0).toUpperCase() + key.slice(1), pascal(inner)]),
  );
}

export function configurationOf(item: ConfigurationItem | undefined): Record<string, unknown> | undefined {
  let value = item?.configuration;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (pascal(value) as Record<string, unknown>)
    : undefined;
}

function tagsOf(item: ConfigurationItem, fromConfiguration: unknown): AwsTag[] {
  if (Array.isArray(fromConfiguration)) return fromConfiguration as AwsTag[];
  return Object.entries(item.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** A state recorded as a string or as `{ value }` (PascalCased here to `{ Value }`). */
function stateOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const inner = (value as { Value?: unknown } | null | undefined)?.Value;
  return typeof inner === 'string' ? inner : undefined;
}

export function vpcFromItem(item: ConfigurationItem): Vpc | undefined {
  const c = configurationOf(item);
  if (!c) return undefined;
  return { ...c, VpcId: typeof c.VpcId === 'string' ? c.VpcId : item.resourceId, Tags: tagsOf(item, c.Tags) };
}

/** The endpoint an item records, or undefined when the item lacks what judging it needs (service, VPC, state). */
export function endpointFromItem(item: ConfigurationItem): VpcEndpoint | undefined {
  const c = configurationOf(item);
  const state = stateOf(c?.State);
  if (!c || typeof c.VpcId !== 'string' || typeof c.ServiceName !== 'string' || state === undefined) return undefined;
  return {
    ...c,
    VpcEndpointId: typeof c.VpcEndpointId === 'string' ? c.VpcEndpointId : item.resourceId,
    VpcEndpointType: typeof c.VpcEndpointType === 'string' ? c.VpcEndpointType : 'Interface',
    State: state,
    Tags: tagsOf(item, c.Tags),
  } as VpcEndpoint;
}

/** The service an endpoint item names, if it names one (even when other fields are missing). */
export function serviceNameOfItem(item: ConfigurationItem): string | undefined {
  const name = configurationOf(item)?.ServiceName;
  return typeof name === 'string' ? name : undefined;
}

/** The VPC an endpoint item belongs to: its configuration or its relationships (deletion items have neither). */
export function vpcIdOfEndpointItem(item: ConfigurationItem | undefined): string | undefined {
  if (!item) return undefined;
  const c = configurationOf(item);
  if (c && typeof c.VpcId === 'string') return c.VpcId;
  return item.relationships?.find((r) => r.resourceType === 'AWS::EC2::VPC')?.resourceId ?? undefined;
}
