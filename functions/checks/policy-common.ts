/** What the policy checks (CCE.6–CCE.9) share: the endpoint's facts, its policy view, texts and commands. */
import type { Verdict } from '../core/check';
import { SERVICE_TRAFFIC } from '../core/regions';
import { endpointsOf, type CodeCommitEndpoint, type Scope } from '../core/scope';
import {
  statementLabel,
  viewKey,
  viewPolicy,
  type EndpointFacts,
  type Escape,
  type Hole,
  type PolicyView,
} from '../policy/index';

export type ValidView = Extract<PolicyView, { ok: true }>;

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

function policyText(endpoint: CodeCommitEndpoint): string {
  const document = endpoint.raw.PolicyDocument;
  if (document === undefined || document === null) return '';
  return typeof document === 'string' ? document : JSON.stringify(document);
}

/** One policy on the Git and the API endpoints of a VPC: each kind's statements apply on the other's endpoint. */
function sharedWithOtherKind(endpoint: CodeCommitEndpoint, scope: Scope, text: string): boolean {
  const traffic = SERVICE_TRAFFIC[endpoint.kind];
  return endpointsOf(scope, endpoint.vpcId).some(
    (other) => SERVICE_TRAFFIC[other.kind] !== traffic && policyText(other) === text,
  );
}

/** Whether the endpoint's policy is also on an endpoint of the other kind in its VPC (once per endpoint and scope). */
export function isShared(endpoint: CodeCommitEndpoint, scope: Scope): boolean {
  return scope.memo.get('shared', endpoint, () => {
    const text = policyText(endpoint);
    return text !== '' && sharedWithOtherKind(endpoint, scope, text);
  });
}

/**
 * A copy of the endpoint carrying another policy, judged as the original would be: a fix proposed
 * for a policy shared by the Git and API endpoints is meant for both.
 */
export function withPolicy(endpoint: CodeCommitEndpoint, scope: Scope, policy: string): CodeCommitEndpoint {
  const copy: CodeCommitEndpoint = { ...endpoint, raw: { ...endpoint.raw, PolicyDocument: policy } };
  const shared = isShared(endpoint, scope);
  scope.memo.get('shared', copy, () => shared);
  return copy;
}

/** The policy view of an endpoint; the four policy checks, and endpoints sharing a policy, compute it once per scope. */
export function policyOf(endpoint: CodeCommitEndpoint, scope: Scope): PolicyView {
  return scope.memo.get('policy-of-endpoint', endpoint, () => {
    const text = policyText(endpoint);
    const facts = factsOf(endpoint, scope);
    const shared = isShared(endpoint, scope);
    return scope.memo.get('policy-view', viewKey(text, facts, scope.params, shared), () =>
      viewPolicy(endpoint.raw.PolicyDocument, facts, scope.params, shared),
    );
  });
}

function quoteForShell(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function modifyPolicyCommand(endpoint: CodeCommitEndpoint, scope: Scope, policy: string): string {
  return `aws ec2 modify-vpc-endpoint --region ${scope.region} --vpc-endpoint-id ${endpoint.id} --policy-document ${quoteForShell(policy)}`;
}

/** ERROR for a policy the auditor cannot judge, with what to correct (never "No action needed"). */
export function unjudgedPolicy(
  endpoint: CodeCommitEndpoint,
  scope: Scope,
  view: Extract<PolicyView, { ok: false }>,
): Verdict {
  const command = `aws ec2 modify-vpc-endpoint --region ${scope.region} --vpc-endpoint-id ${endpoint.id} --policy-document file://corrected-policy.json`;
  if (view.kind === 'too-complex') {
    return {
      status: 'ERROR',
      message: `The policy of endpoint ${endpoint.id} cannot be evaluated: ${view.error}.`,
      remediation:
        `Review this policy by hand and simplify it (fewer wildcard patterns, accounts or statements): the auditor bounds ` +
        `its work on one policy so that no policy can stall a scan. Then scan again. To replace it: ${command}.`,
    };
  }
  const hint = /Principal must be/.test(view.error)
    ? ' Write Principal as "*" or as an object such as {"AWS": "arn:aws:iam::111122223333:root"}.'
    : /Effect must be/.test(view.error)
      ? ' Effect must be "Allow" or "Deny", in that letter case.'
      : '';
  return {
    status: 'ERROR',
    message: `The policy of endpoint ${endpoint.id} cannot be evaluated: ${view.error}.`,
    remediation: `Correct the policy so it is a valid IAM policy (${view.error}).${hint} Then apply it and scan again: ${command}.`,
  };
}

function list(items: readonly string[], one: string, many: string): string {
  return `${items.length > 1 ? many : one} ${items.join(', ')}`;
}

/** Who the trusted set is, in words (with the organizations the policy names when none is configured). */
export function trustedSet(scope: Scope, view?: ValidView): string {
  const accounts = list([scope.accountId, ...scope.params.trustedAccounts], 'account', 'accounts');
  const configured = scope.params.trustedOrgIds;
  if (configured.length > 0) return `${accounts} and ${list(configured, 'organization', 'organizations')}`;
  const named = view?.analysis.perimeterOrgs ?? [];
  return named.length > 0 ? `${accounts} and ${list(named, 'organization', 'organizations')}` : accounts;
}

/** What opens a hole: the statement, or AWS's default policy when none is attached. */
export function holeSource(view: ValidView, hole: Hole): string {
  return view.policy.isDefault
    ? "AWS's default full-access policy (no policy attached)"
    : statementLabel(hole.statement);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeText(escape: Escape): string {
  const { deny, condition } = escape;
  const label = deny.sid ? `Deny "${deny.sid}"` : `the Deny in statement ${deny.index}`;
  const key = condition.key;
  if (/^aws:principaltag\//i.test(key)) {
    const tag = key.slice('aws:PrincipalTag/'.length);
    return condition.baseOperator.includes('Not') || condition.baseOperator === 'Null'
      ? `${label} exempts principals tagged ${tag}`
      : `${label} applies only to principals tagged ${tag}`;
  }
  if (key.toLowerCase() === 'aws:sourceip') {
    return `${label} never applies through an endpoint: its ${condition.operator} on aws:SourceIp needs a key such requests never carry`;
  }
  if (escape.outcome === 'unknown')
    return `${label} depends on ${key}, which the auditor cannot see, so it may not apply`;
  return `${label} exempts ${condition.operator} ${key} ${condition.values.slice(0, 3).join(', ')}`;
}

/** The Denies a hole slips past, and how: "; Deny "X" exempts principals tagged …" (empty when none). */
export function escapesText(hole: Hole): string {
  return hole.escapes.length === 0 ? '' : `; ${hole.escapes.slice(0, 2).map(escapeText).join('; ')}`;
}

export function trafficWord(endpoint: CodeCommitEndpoint): string {
  return SERVICE_TRAFFIC[endpoint.kind] === 'git' ? 'Git' : 'API';
}
