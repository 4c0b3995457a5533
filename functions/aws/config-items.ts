/**
 * AWS Config configuration items → inventory items: Config records the Describe* output
 * with camelCase keys; the inventory keeps AWS's API names (PascalCase). One resource
 * shape, two sources.
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

function configuration(item: ConfigurationItem): Record<string, unknown> | undefined {
  let value = item.configuration;
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

export function vpcFromItem(item: ConfigurationItem): Vpc | undefined {
  const c = configuration(item);
  if (!c) return undefined;
  return { ...c, VpcId: typeof c.VpcId === 'string' ? c.VpcId : item.resourceId, Tags: tagsOf(item, c.Tags) };
}

export function endpointFromItem(item: ConfigurationItem): VpcEndpoint | undefined {
  const c = configuration(item);
  if (!c || typeof c.VpcId !== 'string' || typeof c.ServiceName !== 'string') return undefined;
  return {
    ...c,
    VpcEndpointId: typeof c.VpcEndpointId === 'string' ? c.VpcEndpointId : item.resourceId,
    VpcEndpointType: typeof c.VpcEndpointType === 'string' ? c.VpcEndpointType : 'Interface',
    State: typeof c.State === 'string' ? c.State : 'available',
    Tags: tagsOf(item, c.Tags),
  } as VpcEndpoint;
}

/** The VPC a (possibly deleted) endpoint item belonged to: its configuration or its relationships. */
export function vpcIdOfEndpointItem(item: ConfigurationItem): string | undefined {
  const c = configuration(item);
  if (c && typeof c.VpcId === 'string') return c.VpcId;
  return item.relationships?.find((r) => r.resourceType === 'AWS::EC2::VPC')?.resourceId;
}
