/** Pieces the checks share: permissions, service naming, remediation commands. */
import type { Route, Vpc } from '../core/inventory';
import {
  dnsSuffixOf,
  serviceKindFor,
  serviceName,
  SERVICE_TRAFFIC,
  type ServiceKind,
  type Traffic,
} from '../core/regions';
import { verdict, type Verdict } from '../core/check';
import type { Severity } from '../core/finding';
import { endpointsOf, fipsRequiredFor, type CodeCommitEndpoint, type Scope } from '../core/scope';

export const BASE_PERMISSIONS = [
  'ec2:DescribeVpcs',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcEndpointServices',
] as const;
export const BASE_NEEDS = ['vpcs', 'vpcEndpoints'] as const;

export const DOCS = {
  endpoints: 'https://docs.aws.amazon.com/codecommit/latest/userguide/codecommit-and-interface-VPC.html',
  privateDns: 'https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html',
  endpointPolicy: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
  securityGroups: 'https://docs.aws.amazon.com/vpc/latest/privatelink/interface-endpoints.html#security-groups',
  subnets: 'https://docs.aws.amazon.com/vpc/latest/privatelink/interface-endpoints.html#add-remove-subnets',
  dataPerimeter:
    'https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html',
} as const;

/** ASFF finding types (taxonomy paths) that some checks add to Network Reachability. */
export const FINDING_TYPES = {
  fips: 'Software and Configuration Checks/Industry and Regulatory Standards/NIST 800-53 Controls',
  exfiltration: 'Effects/Data Exfiltration',
} as const;

export const TRAFFIC_LABEL: Record<Traffic, string> = { git: 'Git', api: 'API' };

/** The host name a service's private DNS answers for. */
export function hostName(scope: Scope, kind: ServiceKind): string {
  return `${kind}.${scope.region}.${dnsSuffixOf(scope.partition)}`;
}

/** Endpoints of a VPC carrying the given traffic, split into serving and not. */
export function endpointsFor(
  scope: Scope,
  vpcId: string,
  accept: (kind: ServiceKind) => boolean,
): { serving: CodeCommitEndpoint[]; idle: CodeCommitEndpoint[] } {
  const matching = endpointsOf(scope, vpcId).filter((endpoint) => accept(endpoint.kind));
  return { serving: matching.filter((e) => e.serving), idle: matching.filter((e) => !e.serving) };
}

/**
 * Whether a VPC has a serving endpoint for some traffic (CCE.1 Git, CCE.2 API): PASSED naming
 * it, FAILED naming the service and any endpoint that exists but does not serve, or
 * NOT_APPLICABLE where the region offers neither variant of the service.
 */
export function endpointPresence(vpc: Vpc, scope: Scope, traffic: Traffic): Verdict {
  const kinds = [serviceKindFor(traffic, false), serviceKindFor(traffic, true)];
  const label = TRAFFIC_LABEL[traffic];
  if (!kinds.some((kind) => scope.offer.services.has(kind))) {
    return verdict('NOT_APPLICABLE', `Region ${scope.region} offers no CodeCommit ${label} endpoint service.`);
  }
  const { serving, idle } = endpointsFor(scope, vpc.VpcId, (kind) => kinds.includes(kind));
  const [first] = serving;
  if (first) {
    return verdict(
      'PASSED',
      `VPC ${vpc.VpcId} has an available ${label} endpoint ${first.id} (${first.raw.ServiceName}).`,
    );
  }
  const routeError = scope.errors.get('routeTables');
  if (routeError) {
    // The verdict's severity is part of it: without the routes it cannot be given (and a FAILED already known stands).
    return verdict(
      'ERROR',
      `VPC ${vpc.VpcId} has no available endpoint for ${serviceName(scope.region, kinds[0] as ServiceKind)}[-fips]; how severe depends on its route tables, which could not be read (${routeError.operation}: ${routeError.code}).`,
      {
        remediation: `Grant the auditor's role ec2:DescribeRouteTables (or resolve ${routeError.code}) and scan again; meanwhile: ${createEndpointRemediation(scope, vpc.VpcId, preferredKind(scope, vpc, traffic))}`,
      },
    );
  }
  const route = whereTrafficGoes(scope, vpc.VpcId);
  return verdict(
    'FAILED',
    `VPC ${vpc.VpcId} has no available endpoint for ${serviceName(scope.region, kinds[0] as ServiceKind)}[-fips]${describeIdle(idle)}; ${route.text}.`,
    route.severity ? { severity: route.severity } : undefined,
  );
}

const DEFAULT_ROUTES = new Set(['0.0.0.0/0', '::/0']);

/** A route's target, and whether it leads to the internet (internet, egress-only, NAT or carrier gateway). */
function targetOf(route: Route): { name: string; internet: boolean } {
  const gateway = route.GatewayId ?? '';
  if (gateway.startsWith('igw-')) return { name: `internet gateway ${gateway}`, internet: true };
  if (route.NatGatewayId) return { name: `NAT gateway ${route.NatGatewayId}`, internet: true };
  if (route.EgressOnlyInternetGatewayId)
    return { name: `egress-only internet gateway ${route.EgressOnlyInternetGatewayId}`, internet: true };
  if (route.CarrierGatewayId) return { name: `carrier gateway ${route.CarrierGatewayId}`, internet: true };
  if (route.TransitGatewayId) return { name: `transit gateway ${route.TransitGatewayId}`, internet: false };
  if (route.VpcPeeringConnectionId)
    return { name: `peering connection ${route.VpcPeeringConnectionId}`, internet: false };
  if (gateway.startsWith('vgw-')) return { name: `VPN gateway ${gateway}`, internet: false };
  if (route.NetworkInterfaceId) return { name: `network interface ${route.NetworkInterfaceId}`, internet: false };
  if (route.InstanceId) return { name: `instance ${route.InstanceId}`, internet: false };
  if (route.LocalGatewayId) return { name: `local gateway ${route.LocalGatewayId}`, internet: false };
  if (route.CoreNetworkArn) return { name: 'a Cloud WAN core network', internet: false };
  return { name: gateway ? `target ${gateway}` : 'another target', internet: false };
}

/**
 * Where a VPC's traffic goes without an endpoint (DESIGN: CCE.1/CCE.2 weighting): HIGH when a
 * route table sends the default route to the internet, MEDIUM when it goes elsewhere, LOW when
 * there is no default route. Without route tables, the check's own severity stands.
 */
export function whereTrafficGoes(scope: Scope, vpcId: string): { severity: Severity | undefined; text: string } {
  const error = scope.errors.get('routeTables');
  if (error)
    return {
      severity: undefined,
      text: `route tables unreadable (${error.code}): severity not weighed`,
    };
  if (!scope.routeTablesByVpc) return { severity: undefined, text: 'route tables not collected: severity not weighed' };
  const defaults = (scope.routeTablesByVpc.get(vpcId) ?? []).flatMap((table) =>
    (table.Routes ?? [])
      .filter(
        (route) =>
          route.State !== 'blackhole' &&
          (DEFAULT_ROUTES.has(route.DestinationCidrBlock ?? '') ||
            DEFAULT_ROUTES.has(route.DestinationIpv6CidrBlock ?? '')),
      )
      .map((route) => ({ table: table.RouteTableId, route, target: targetOf(route) })),
  );
  const described = (d: (typeof defaults)[number]): string =>
    `${d.table} sends ${d.route.DestinationCidrBlock ?? d.route.DestinationIpv6CidrBlock} to ${d.target.name}`;
  const internet = defaults.find((d) => d.target.internet);
  if (internet) return { severity: 'HIGH', text: `${described(internet)}: traffic crosses the internet` };
  const [elsewhere] = defaults;
  if (elsewhere) return { severity: 'MEDIUM', text: `${described(elsewhere)}, not straight to the internet` };
  return { severity: 'LOW', text: 'no default route: CodeCommit is out of its reach' };
}

export function describeIdle(idle: readonly CodeCommitEndpoint[]): string {
  return idle.length === 0 ? '' : ` (${idle.map((e) => `${e.id} is ${e.raw.State}`).join(', ')})`;
}

/** The service a VPC should get for some traffic: FIPS where the VPC requires it and the region offers it. */
export function preferredKind(scope: Scope, vpc: Vpc | undefined, traffic: Traffic): ServiceKind {
  const fips = serviceKindFor(traffic, true);
  return vpc && fipsRequiredFor(scope, vpc) && scope.offer.services.has(fips) ? fips : serviceKindFor(traffic, false);
}

/** The exact AWS CLI command and CloudFormation snippet that create the missing endpoint. */
export function createEndpointRemediation(scope: Scope, vpcId: string, kind: ServiceKind): string {
  const name = serviceName(scope.region, kind);
  const cli =
    `aws ec2 create-vpc-endpoint --region ${scope.region} --vpc-id ${vpcId} --vpc-endpoint-type Interface ` +
    `--service-name ${name} --subnet-ids SUBNET_IN_AZ1 SUBNET_IN_AZ2 --security-group-ids SG_ALLOWING_443_FROM_VPC ` +
    `--private-dns-enabled`;
  const cfn =
    `Type: AWS::EC2::VPCEndpoint; Properties: {VpcId: ${vpcId}, VpcEndpointType: Interface, ` +
    `ServiceName: ${name}, PrivateDnsEnabled: true, SubnetIds: [SUBNET_IN_AZ1, SUBNET_IN_AZ2], ` +
    `SecurityGroupIds: [SG_ALLOWING_443_FROM_VPC], PolicyDocument: <a policy with identity and resource perimeters>}`;
  return `Create an interface endpoint for ${name} (${TRAFFIC_LABEL[SERVICE_TRAFFIC[kind]]} traffic) in two or more Availability Zones: ${cli}. CloudFormation: ${cfn}.`;
}
