/** What a report says about the scan it reports on (HTML header, OCSF metadata, CSV file names). */
import packageJson from '../../package.json' with { type: 'json' };
import { formatCidr } from '../core/cidr';
import type { Params, Tag } from '../core/params';

export interface ReportMeta {
  /** When the scan ran, ISO 8601. */
  scannedAt: string;
  /** The auditor's version (package.json). */
  toolVersion: string;
  /** The accounts and regions scanned, sorted. */
  accounts: string[];
  regions: string[];
  /** The parameters in effect (section 3 of DESIGN), as given to the engine. */
  params: Record<string, unknown>;
}

/** The auditor's version, from its package.json (read into each bundle at build time). */
export function toolVersion(): string {
  return packageJson.version;
}

function tagText(tag: Tag): string {
  return `${tag.key}=${tag.value}`;
}

/** The parameters in effect as plain JSON values: lists as arrays, tags as key=value, CIDRs in slash notation. */
export function paramsRecord(params: Params): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) record[key] = value instanceof Set ? [...value].sort() : value;
  return {
    ...record,
    fipsTag: tagText(params.fipsTag),
    exemptTag: tagText(params.exemptTag),
    trustedCidrs: params.trustedCidrs.map(formatCidr),
  };
}

function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The metadata of a report on these account-regions, scanned at `scannedAt` with `params`. */
export function reportMeta(
  scopes: readonly { accountId: string; region: string }[],
  params: Params,
  scannedAt: Date,
): ReportMeta {
  return {
    scannedAt: scannedAt.toISOString(),
    toolVersion: toolVersion(),
    accounts: distinctSorted(scopes.map((s) => s.accountId)),
    regions: distinctSorted(scopes.map((s) => s.region)),
    params: paramsRecord(params),
  };
}
