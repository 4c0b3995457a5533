import type { IpPermission } from '../core/inventory';
import { BASE_NEEDS, BASE_PERMISSIONS, DOCS } from './common';
import { verdict, type EndpointCheck } from '../core/check';

const WORLD_V4 = '0.0.0.0/0';
const WORLD_V6 = '::/0';

function coversHttps(rule: IpPermission): boolean {
  const protocol = (rule.IpProtocol ?? '').toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  const from = rule.FromPort ?? 0;
  const to = rule.ToPort ?? 65535;
  return (from === -1 && to === -1) || (from <= 443 && 443 <= to);
}

function worldSource(rule: IpPermission): string | undefined {
  if (rule.IpRanges?.some((range) => range.CidrIp === WORLD_V4)) return WORLD_V4;
  if (rule.Ipv6Ranges?.some((range) => range.CidrIpv6 === WORLD_V6)) return WORLD_V6;
  return undefined;
}

function describeRule(rule: IpPermission): string {
  const protocol = (rule.IpProtocol ?? '').toLowerCase();
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  const from = rule.FromPort ?? 0;
  const to = rule.ToPort ?? 65535;
  return from === to ? `TCP ${from}` : `TCP ${from}-${to}`;
}

export const cce10: EndpointCheck = {
  id: 'CCE.10',
  title: 'Endpoint security group is open to the world',
  severity: 'LOW',
  failsWhen: 'inbound TCP 443 (or all traffic) from `0.0.0.0/0` or `::/0`',
  resourceType: 'AWS::EC2::VPCEndpoint',
  risk: 'A security group open to 0.0.0.0/0 or ::/0 lets any network path that reaches the endpoint use it, beyond the VPC and its peers.',
  permissions: [...BASE_PERMISSIONS, 'ec2:DescribeSecurityGroups'],
  needs: [...BASE_NEEDS, 'securityGroups'],
  remediationUrl: DOCS.securityGroups,
  evaluate(endpoint, scope) {
    const groups = endpoint.raw.Groups;
    if (groups === undefined)
      return verdict('ERROR', `Endpoint ${endpoint.id} has no Groups field in the collected data.`);
    if (groups.length === 0) return verdict('PASSED', `Endpoint ${endpoint.id} has no security group attached.`);
    for (const { GroupId } of groups) {
      const group = GroupId === undefined ? undefined : scope.securityGroups?.get(GroupId);
      if (!group)
        return verdict(
          'ERROR',
          `Security group ${GroupId ?? '(no id)'} of endpoint ${endpoint.id} is not in the collected data.`,
        );
      for (const rule of group.IpPermissions ?? []) {
        const source = coversHttps(rule) ? worldSource(rule) : undefined;
        if (source)
          return verdict(
            'FAILED',
            `Security group ${group.GroupId} of endpoint ${endpoint.id} allows inbound ${describeRule(rule)} from ${source}.`,
          );
      }
    }
    return verdict(
      'PASSED',
      `No security group of endpoint ${endpoint.id} allows inbound HTTPS from the whole internet.`,
    );
  },
  remediation(endpoint, scope) {
    const group = endpoint.raw.Groups?.[0]?.GroupId ?? 'SG_ID';
    return (
      `Allow HTTPS only from the VPC's CIDR: aws ec2 revoke-security-group-ingress --region ${scope.region} --group-id ${group} ` +
      `--ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]' && aws ec2 authorize-security-group-ingress ` +
      `--region ${scope.region} --group-id ${group} --protocol tcp --port 443 --cidr VPC_CIDR (repeat the revoke with Ipv6Ranges=[{CidrIpv6=::/0}] or IpProtocol=-1 for those rules).`
    );
  },
};
