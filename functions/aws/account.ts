/** Who we are and where we may look: caller identity, configured and enabled regions. */
import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { isRegionCode } from '../core/regions';

export async function callerAccount(sts: STSClient): Promise<string> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new Error('GetCallerIdentity returned no account id');
  return identity.Account;
}

/** The account's enabled regions (DescribeRegions without AllRegions lists only those). */
export async function enabledRegions(ec2: EC2Client): Promise<string[]> {
  const result = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
  return (result.Regions ?? []).flatMap((r) => (r.RegionName && isRegionCode(r.RegionName) ? [r.RegionName] : [])).sort();
}
