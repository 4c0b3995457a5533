/** What the policy checks (CCE.6–CCE.9) share: the endpoint's facts, its policy view, remediation. */
import { SERVICE_TRAFFIC } from '../core/regions';
import type { CodeCommitEndpoint, Scope } from '../core/scope';
import { viewKey, viewPolicy, type EndpointFacts, type Hole, type PolicyView } from '../policy/index';
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

/** The policy view of an endpoint; the four policy checks, and endpoints sharing a policy, compute it once per scope. */
export function policyOf(endpoint: CodeCommitEndpoint, scope: Scope): PolicyView {
  return scope.memo.get('policy-of-endpoint', endpoint, () => {
    const document = endpoint.raw.PolicyDocument;
    const text =
      document === undefined || document === null
        ? ''
        : typeof document === 'string'
          ? document
          : JSON.stringify(document);
    const facts = factsOf(endpoint, scope);
    return scope.memo.get('policy-view', viewKey(text, facts, scope.params), () =>
      viewPolicy(document, facts, scope.params),
    );
  });
}

export function invalidPolicyMessage(endpoint: CodeCommitEndpoint, error: string): string {
  return `The policy of endpoint ${endpoint.id} cannot be evaluated: ${error}.`;
}

/** Who the trusted set is, in words. */
export function trustedSet(scope: Scope): string {
  return scope.memo.get('trusted-set', scope, () => describeTrust(scope));
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

/** A corrected policy for the endpoint with identity and resource perimeters, account, region and partition filled in (one per scope and traffic). */
export function perimeterPolicy(endpoint: CodeCommitEndpoint, scope: Scope): string {
  return scope.memo.get('perimeter-policy', SERVICE_TRAFFIC[endpoint.kind], () =>
    buildPerimeterPolicy(endpoint, scope),
  );
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
