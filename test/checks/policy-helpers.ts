/** A one-VPC scope whose Git (or API) endpoint carries a policy, for the policy checks' tests. */
import { endpoint, scope, svc, vpc } from '../fixtures/builders';
import type { ScopeInventory } from '../../functions/core/inventory';

export const ALLOW_ALL = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };

export function withPolicy(
  policy: unknown,
  options: { region?: string; kind?: string; fips?: boolean } = {},
): ScopeInventory {
  const region = options.region ?? 'us-east-2';
  return scope(region, {
    vpcs: [vpc('vpc-1', options.fips ? { tags: { 'codecommit-audit:fips': 'required' } } : {})],
    vpcEndpoints: [
      endpoint(
        'vpce-1',
        'vpc-1',
        svc(region, options.kind ?? 'git-codecommit'),
        policy === undefined ? {} : { PolicyDocument: typeof policy === 'string' ? policy : JSON.stringify(policy) },
      ),
    ],
  });
}
