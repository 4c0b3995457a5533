/** Console links for alerts: the Security Hub finding, in the console of the finding's partition. */
import type { Finding } from '../core/finding';
import { partitionOf } from '../core/regions';
import { findingId } from './asff';

function consoleHost(region: string): string {
  const partition = partitionOf(region);
  if (partition === 'aws-cn') return 'console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
}

/** The Security Hub findings page of a region. */
export function securityHubFindingsLink(region: string): string {
  return `https://${consoleHost(region)}/securityhub/home?region=${region}#/findings`;
}

/** The Security Hub findings page searched for this one finding. */
export function securityHubLink(f: Finding): string {
  const search = encodeURIComponent(`Id=\\operator\\:EQUALS\\:${findingId(f)}`);
  return `${securityHubFindingsLink(f.region)}?search=${search}`;
}
