/** What the policy checks (CCE.6–CCE.9) share: the endpoint's facts, its policy view, remediation. */
import { SERVICE_TRAFFIC } from '../core/regions';
import type { CodeCommitEndpoint, Scope } from '../core/scope';
import { viewPolicy, type EndpointFacts, type Hole, type PolicyView } from '../policy/index';
import { statementLabel } from '../policy/parse';

export function factsOf(endpoint: CodeCommitEndpoint, scope: Scope): EndpointFacts {
  return {
    accountId: scope.accountId,
    region: scope.region,
    partition: scope.partition,
    vpcId: endpoint.vpcId,
    endpointId: endpoint.id,
    traffic: SERVICE_TRAFFIC[endpoint.kind],
  };
}

// The four policy checks of an endpoint share one view (keyed by the endpoint object of this scan).
const views = new WeakMap<CodeCommitEndpoint, PolicyView>();

export function policyOf(endpoint: CodeCommitEndpoint, scope: Scope): PolicyView {
  let view = views.get(endpoint);
  if (!view) {
    view = viewPolicy(endpoint.raw.PolicyDocument, factsOf(endpoint, scope), scope.params);
    views.set(endpoint, view);
  }
  return view;
}

export function invalidPolicyMessage(endpoint: CodeCommitEndpoint, error: string): string {
  return `The policy of endpoint ${endpoint.id} cannot be evaluated: ${error}.`;
}

/** Who the trusted set is, in words. */
const trustedTexts = new WeakMap<Scope, string>();

export function trustedSet(scope: Scope): string {
  let text = trustedTexts.get(scope);
  if (text === undefined) trustedTexts.set(scope, (text = describeTrust(scope)));
  return text;
}

function describeTrust(scope: Scope): string {
  const accounts = [scope.accountId, ...scope.params.trustedAccounts];
  const orgs = scope.params.trustedOrgIds;
  const accountText = `account${accounts.length > 1 ? 's' : ''} ${accounts.join(', ')}`;
  return orgs.length > 0
    ? `${accountText} and organization${orgs.length > 1 ? 's' : ''} ${orgs.join(', ')}`
    : accountText;
}

/** What opens a hole: the statement, or AWS's default policy when none is attached. */
export function holeSource(view: Extract<PolicyView, { ok: true }>, hole: Hole): string {
  return view.policy.isDefault
    ? "AWS's default full-access policy (no policy attached)"
    : statementLabel(hole.statement);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const perimeterPolicies = new WeakMap<Scope, Map<string, string>>();

/** A corrected policy for the endpoint with identity and resource perimeters, account, region and partition filled in (one per scope and traffic). */
export function perimeterPolicy(endpoint: CodeCommitEndpoint, scope: Scope): string {
  const traffic = SERVICE_TRAFFIC[endpoint.kind];
  let byTraffic = perimeterPolicies.get(scope);
  if (!byTraffic) perimeterPolicies.set(scope, (byTraffic = new Map<string, string>()));
  let policy = byTraffic.get(traffic);
  if (!policy) byTraffic.set(traffic, (policy = buildPerimeterPolicy(endpoint, scope)));
  return policy;
}

function buildPerimeterPolicy(endpoint: CodeCommitEndpoint, scope: Scope): string {
  const { partition, region, accountId, params } = scope;
  const accounts = [accountId, ...params.trustedAccounts];
  const orgs = params.trustedOrgIds;
  const action =
    SERVICE_TRAFFIC[endpoint.kind] === 'git' ? ['codecommit:GitPull', 'codecommit:GitPush'] : 'codecommit:*';
  const statement =
    orgs.length > 0
      ? {
          Sid: 'AllowTrustedPrincipalsOnTrustedRepositories',
          Effect: 'Allow',
          Principal: '*',
          Action: action,
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': orgs, 'aws:ResourceOrgID': orgs } },
        }
      : {
          Sid: 'AllowTrustedPrincipalsOnTrustedRepositories',
          Effect: 'Allow',
          Principal: '*',
          Action: action,
          Resource: accounts.map((account) => `arn:${partition}:codecommit:${region}:${account}:*`),
          Condition: { StringEquals: { 'aws:PrincipalAccount': accounts } },
        };
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
}

export function modifyPolicyCommand(endpoint: CodeCommitEndpoint, scope: Scope, policy: string): string {
  return `aws ec2 modify-vpc-endpoint --region ${scope.region} --vpc-endpoint-id ${endpoint.id} --policy-document '${policy}'`;
}
