/** A seeded generator of realistic inventories: VPCs with ~4 CodeCommit endpoints each and a mix of real-world policies. */
import type { ScopeInventory, SecurityGroup, Subnet, Vpc, VpcEndpoint } from '../functions/core/inventory';

/** Deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = '123456789012';
const ORG = 'o-a1b2c3d4e5';
const KINDS = ['git-codecommit', 'codecommit', 'git-codecommit-fips', 'codecommit-fips'];

function policies(region: string, endpointId: string): (string | undefined)[] {
  const allowAll = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
  const p = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  return [
    undefined, // no policy: AWS's default
    p(allowAll),
    p({ ...allowAll, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
    p(
      allowAll,
      {
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:ResourceOrgID': ORG } },
      },
    ),
    p({
      Sid: 'OwnRepos',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'codecommit:*',
      Resource: `arn:aws:codecommit:${region}:${ACCOUNT}:*`,
    }),
    p(allowAll, {
      Effect: 'Deny',
      Principal: '*',
      Action: 'codecommit:GitPush',
      Resource: `arn:aws:codecommit:us-west-2:${ACCOUNT}:MyDemoRepo`,
    }),
    p({
      ...allowAll,
      Action: ['codecommit:GitPull', 'codecommit:GitPulll'],
      Condition: { StringEquals: { 'aws:PrincipalAccount': [ACCOUNT, '111122223333'] } },
    }),
    // Written for this endpoint alone: a distinct document per endpoint.
    p({ ...allowAll, Condition: { StringEquals: { 'aws:SourceVpce': endpointId, 'aws:PrincipalOrgID': ORG } } }),
  ];
}

export function generateInventory(vpcCount: number, seed = 42, region = 'us-east-2'): ScopeInventory {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const vpcs: Vpc[] = [];
  const vpcEndpoints: VpcEndpoint[] = [];
  const securityGroups: SecurityGroup[] = [];
  const subnets: Subnet[] = [];
  let endpointNumber = 0;
  for (let v = 0; v < vpcCount; v++) {
    const vpcId = `vpc-${v.toString(16).padStart(17, '0')}`;
    const tags = [{ Key: 'Name', Value: `vpc-${v}` }];
    if (rand() < 0.2) tags.push({ Key: 'codecommit-audit:fips', Value: 'required' });
    if (rand() < 0.05) tags.push({ Key: 'codecommit-audit:exempt', Value: 'true' });
    vpcs.push({ VpcId: vpcId, OwnerId: ACCOUNT, IsDefault: v === 0, CidrBlock: '10.0.0.0/16', Tags: tags });
    const zones = ['a', 'b', 'c'].map((z) => `subnet-${v.toString(16).padStart(15, '0')}${z}`);
    zones.forEach((SubnetId, i) => subnets.push({ SubnetId, VpcId: vpcId, AvailabilityZone: `${region}${'abc'[i]}` }));
    const group = `sg-${v.toString(16).padStart(17, '0')}`;
    const open = rand() < 0.1;
    securityGroups.push({
      GroupId: group,
      VpcId: vpcId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: open ? '0.0.0.0/0' : '10.0.0.0/16' }] },
      ],
    });
    const endpoints = Math.floor(rand() * 9); // 0..8: four on average
    for (let e = 0; e < endpoints; e++) {
      const id = `vpce-${(endpointNumber++).toString(16).padStart(17, '0')}`;
      const policy = pick(policies(region, id));
      vpcEndpoints.push({
        VpcEndpointId: id,
        VpcEndpointType: 'Interface',
        VpcId: vpcId,
        ServiceName: `com.amazonaws.${region}.${pick(KINDS)}`,
        State: rand() < 0.95 ? 'available' : pick(['pending', 'failed', 'pendingAcceptance']),
        PrivateDnsEnabled: rand() < 0.85,
        SubnetIds: rand() < 0.8 ? zones.slice(0, 2) : zones.slice(0, 1),
        Groups: [{ GroupId: group, GroupName: group }],
        ...(policy === undefined ? {} : { PolicyDocument: policy }),
        OwnerId: ACCOUNT,
      });
    }
  }
  return {
    accountId: ACCOUNT,
    region,
    vpcs,
    vpcEndpoints,
    securityGroups,
    subnets,
    endpointServices: KINDS.map((k) => `com.amazonaws.${region}.${k}`),
  };
}
