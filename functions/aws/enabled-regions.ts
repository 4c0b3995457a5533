/** Where we may look: the account's enabled regions. */
import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { isRegionCode } from '../core/regions';

/** The account's enabled regions (DescribeRegions without AllRegions lists only those). */
export async function enabledRegions(ec2: EC2Client): Promise<string[]> {
  const result = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
  return (result.Regions ?? [])
    .flatMap((r) => (r.RegionName && isRegionCode(r.RegionName) ? [r.RegionName] : []))
    .sort();
}
