/** Organizations and IAM data for the CCE.12 and CCE.13 tests, in AWS's own shapes. */
import type { IamData, IamUserDetail, OrganizationData, ScopeInventory } from '../../functions/core/inventory';
import { scope } from '../fixtures/builders';

export const ACCOUNT = '123456789012';
export const FULL_AWS_ACCESS = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
const fullAccess = {
  PolicySummary: { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true },
  Content: FULL_AWS_ACCESS,
};

/** An organization o-a1b2c3d4e5 with root r-ab12 and OU ou-ab12-11111111 above the account; FullAWSAccess everywhere, plus `ouScps` on the OU. */
export function organization(
  ouScps: { name: string; content: string }[] = [],
  management = '999999999999',
): OrganizationData {
  return {
    Organization: {
      Id: 'o-a1b2c3d4e5',
      MasterAccountId: management,
      Arn: `arn:aws:organizations::${management}:organization/o-a1b2c3d4e5`,
    },
    Parents: [
      { Id: 'r-ab12', Type: 'ROOT' },
      { Id: 'ou-ab12-11111111', Type: 'ORGANIZATIONAL_UNIT' },
    ],
    Policies: {
      'r-ab12': [fullAccess],
      'ou-ab12-11111111': [
        fullAccess,
        ...ouScps.map((scp, i) => ({
          PolicySummary: { Id: `p-${String(i).padStart(8, '0')}`, Name: scp.name },
          Content: scp.content,
        })),
      ],
      [ACCOUNT]: [fullAccess],
    },
  };
}

export const ALLOW_CODECOMMIT =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codecommit:*","Resource":"*"}]}';

export function user(name: string, extra: Partial<IamUserDetail> = {}): IamUserDetail {
  return {
    UserName: name,
    UserId: `AIDA${name.toUpperCase().padEnd(16, 'X')}`,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    Path: '/',
    CreateDate: '2024-01-02T03:04:05Z',
    ...extra,
  };
}

export function iam(
  users: IamUserDetail[],
  extra: Partial<IamData> = {},
  details: Partial<IamData['AuthorizationDetails']> = {},
): IamData {
  return {
    AuthorizationDetails: { UserDetailList: users, GroupDetailList: [], RoleDetailList: [], Policies: [], ...details },
    ServiceSpecificCredentials: [],
    SSHPublicKeys: [],
    ...extra,
  };
}

export function httpsCredential(userName: string, id: string, status = 'Active') {
  return {
    UserName: userName,
    ServiceSpecificCredentialId: id,
    ServiceName: 'codecommit.amazonaws.com',
    ServiceUserName: `${userName}-at-${ACCOUNT}`,
    Status: status,
    CreateDate: '2025-03-04T05:06:07Z',
  };
}

/** A scope carrying account-level data. */
export function accountScope(
  data: { organization?: OrganizationData | null; iam?: IamData },
  extra: Partial<ScopeInventory> = {},
): ScopeInventory {
  return scope('us-east-2', { ...data, ...extra });
}
