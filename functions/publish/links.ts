/** Console links for alerts: the Security Hub finding and the scan's report, in the console of their partition. */
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

/** Where a scan's report of one account-region lies: its S3 objects and the console page of the HTML one. */
export interface ReportLink {
  html: string;
  csv: string;
  console: string;
}

/** The links to a report written to `bucket` (in `region`) under `htmlKey` and `csvKey`. */
export function reportLink(bucket: string, region: string, htmlKey: string, csvKey: string): ReportLink {
  const prefix = encodeURIComponent(htmlKey).replaceAll('%2F', '/');
  return {
    html: `s3://${bucket}/${htmlKey}`,
    csv: `s3://${bucket}/${csvKey}`,
    console: `https://${consoleHost(region)}/s3/object/${bucket}?region=${region}&prefix=${prefix}`,
  };
}
