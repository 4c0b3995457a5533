/**
 * The verdicts of the four policy checks (CCE.6 identity perimeter, CCE.7 resource perimeter,
 * CCE.8 pushes outside FIPS, CCE.9 what never applies), in one module because every fix the
 * checks offer is proven against all four: applied and re-analysed, it must pass its own check
 * and make none of the others worse. A fix that cannot be proven is not offered.
 */
import { verdict, type Verdict } from '../core/check';
import { severityRank } from '../core/finding';
import { fipsReason, fipsRequiredFor, type CodeCommitEndpoint, type Scope } from '../core/scope';
import { statementLabel, type DeadStatement } from '../policy/index';
import {
  capitalize,
  escapesText,
  modifyPolicyCommand,
  holeSource,
  policyOf,
  trafficWord,
  trustedSet,
  unjudgedPolicy,
  withPolicy,
  type ValidView,
} from './policy-common';

export type PolicyJudge = (endpoint: CodeCommitEndpoint, scope: Scope) => Verdict;

function unusable(endpoint: CodeCommitEndpoint): Verdict {
  return verdict(
    'PASSED',
    `The endpoint ${endpoint.id} is unusable: its policy allows no CodeCommit ${trafficWord(endpoint)} request, so nobody gets through it.`,
  );
}

/** HIGH when Read/Write repository actions cross both perimeters, MEDIUM for other Read/Write holes, LOW for List only. */
function holeSeverity(view: ValidView, readOrWrite: boolean): 'HIGH' | 'MEDIUM' | 'LOW' {
  if (view.analysis.crossing) return 'HIGH';
  return readOrWrite ? 'MEDIUM' : 'LOW';
}

function example(severity: string, action: string): string {
  return severity === 'LOW' ? `List-level actions only, e.g. ${action}` : `e.g. ${action}`;
}

function crossingText(view: ValidView): string {
  const crossing = view.analysis.crossing;
  return crossing ? ' Both perimeters open: code can be copied out.' : '';
}

export const judgeIdentity: PolicyJudge = (endpoint, scope) => {
  const view = policyOf(endpoint, scope);
  if (!view.ok) return unjudgedPolicy(endpoint, scope, view);
  if (!view.analysis.usable) return unusable(endpoint);
  const { state, hole, readOrWrite } = view.analysis.identity;
  if (state !== 'open' || !hole) {
    return verdict(
      'PASSED',
      `The policy of endpoint ${endpoint.id} admits only principals of ${trustedSet(scope, view)}.`,
    );
  }
  const severity = holeSeverity(view, readOrWrite);
  return verdict(
    'FAILED',
    `${capitalize(holeSource(view, hole))} lets principals outside ${trustedSet(scope, view)} use this endpoint ` +
      `(${example(severity, hole.action)})${escapesText(hole)}.${crossingText(view)}`,
    { severity },
  );
};

export const judgeResource: PolicyJudge = (endpoint, scope) => {
  const view = policyOf(endpoint, scope);
  if (!view.ok) return unjudgedPolicy(endpoint, scope, view);
  if (!view.analysis.usable) return unusable(endpoint);
  const { state, hole, tags, readOrWrite } = view.analysis.resource;
  const trusted = trustedSet(scope, view);
  const tagged = tags.join(', ');
  if (state === 'closed' || !hole) {
    return verdict(
      'PASSED',
      `The policy of endpoint ${endpoint.id} lets requests reach only repositories of ${trusted}.`,
    );
  }
  if (state === 'accepted') {
    return verdict(
      'PASSED',
      `The policy of endpoint ${endpoint.id} lets requests reach only repositories of ${trusted}, except for its principals ` +
        `tagged ${tagged}: an exception accepted by perimeterExceptionTags.`,
    );
  }
  if (state === 'exception') {
    return verdict(
      'FAILED',
      `${capitalize(holeSource(view, hole))} lets principals tagged ${tagged} reach repositories outside ${trusted}: ` +
        'a documented exception, safe only if an SCP controls who may set the tag.',
      { severity: 'LOW' },
    );
  }
  const severity = holeSeverity(view, readOrWrite);
  return verdict(
    'FAILED',
    `${capitalize(holeSource(view, hole))} lets requests (${example(severity, hole.action)}) reach repositories outside ` +
      `${trusted}${escapesText(hole)}.${crossingText(view)}`,
    { severity },
  );
};

export const judgePush: PolicyJudge = (endpoint, scope) => {
  if (endpoint.kind !== 'git-codecommit') {
    return verdict('NOT_APPLICABLE', `Endpoint ${endpoint.id} is not a non-FIPS Git endpoint (${endpoint.kind}).`);
  }
  if (!scope.params.fipsPushOnly) {
    return verdict(
      'NOT_APPLICABLE',
      'Pushes through non-FIPS Git endpoints are not restricted (fipsPushOnly is false).',
    );
  }
  const vpc = scope.vpcs.get(endpoint.vpcId);
  if (!vpc || !fipsRequiredFor(scope, vpc)) {
    return verdict('NOT_APPLICABLE', `FIPS is not required for VPC ${endpoint.vpcId}.`);
  }
  if (!scope.offer.services.has('git-codecommit-fips')) {
    return verdict('NOT_APPLICABLE', `Region ${scope.region} offers no FIPS Git endpoint.`);
  }
  const view = policyOf(endpoint, scope);
  if (!view.ok) return unjudgedPolicy(endpoint, scope, view);
  const hole = view.analysis.push;
  if (!hole) {
    return verdict(
      'PASSED',
      `The policy of endpoint ${endpoint.id} allows no codecommit:GitPush, so pushes go through the FIPS endpoint.`,
    );
  }
  return verdict(
    'FAILED',
    `FIPS is required for VPC ${endpoint.vpcId} (${fipsReason(scope)}) but ${holeSource(view, hole)} allows ` +
      `codecommit:GitPush through this non-FIPS endpoint${escapesText(hole)}.`,
  );
};

function deadText(d: DeadStatement): string {
  const label = `${statementLabel(d.statement)} (${d.statement.effect})`;
  if (d.whole) return `${label} never applies: ${d.reasons.map((r) => r.text).join('; ')}`;
  const typos = d.typos.map((t) => `${t.pattern} names no real CodeCommit action`);
  return `${label}: ${typos.join('; ')}`;
}

export const judgeDead: PolicyJudge = (endpoint, scope) => {
  const view = policyOf(endpoint, scope);
  if (!view.ok) return unjudgedPolicy(endpoint, scope, view);
  // A dead Deny first: it is the control that silently does nothing.
  const [first, ...rest] = [...view.dead].sort(
    (a, b) => Number(b.statement.effect === 'Deny') - Number(a.statement.effect === 'Deny'),
  );
  if (!first) {
    return verdict(
      'PASSED',
      view.policy.isDefault
        ? `Endpoint ${endpoint.id} has no policy of its own (AWS's default applies).`
        : `Every statement of the policy of endpoint ${endpoint.id} can apply on it.`,
    );
  }
  // A Deny that does nothing is a control that fails silently.
  const severity = view.dead.some((d) => d.statement.effect === 'Deny') ? 'MEDIUM' : 'LOW';
  const more = rest.length > 0 ? ` (and ${rest.length} more statement${rest.length > 1 ? 's' : ''})` : '';
  return verdict('FAILED', `${deadText(first)}${more}.`, { severity });
};

const JUDGES: readonly PolicyJudge[] = [judgeIdentity, judgeResource, judgePush, judgeDead];

/** How bad a verdict is: judged-fine < FAILED by severity < ERROR. */
function badness(v: Verdict): number {
  if (v.status === 'ERROR') return 100;
  if (v.status !== 'FAILED') return 0;
  return 1 + severityRank(v.severity ?? 'INFORMATIONAL');
}

/**
 * Whether a corrected policy is a proven fix for `target` on this endpoint: re-analysed, the
 * target passes and no other policy verdict gets worse.
 */
export function provesFix(endpoint: CodeCommitEndpoint, scope: Scope, target: PolicyJudge, policy: string): boolean {
  const fixed = withPolicy(endpoint, scope, policy);
  if (badness(target(fixed, scope)) !== 0) return false;
  return JUDGES.every((judge) => judge === target || badness(judge(fixed, scope)) <= badness(judge(endpoint, scope)));
}

/**
 * A FAILED verdict with its remediation: the corrected policy and its command when the fix is
 * proven, else what to do in words. Proofs are memoized per endpoint, check and candidate.
 */
export function withFix(
  result: Verdict,
  endpoint: CodeCommitEndpoint,
  scope: Scope,
  target: PolicyJudge,
  candidate: string | undefined,
  text: { proven: (command: string) => string; otherwise: string },
): Verdict {
  if (result.status !== 'FAILED') return result;
  const proven =
    candidate !== undefined &&
    scope.memo.get('proven-fix', `${endpoint.id}|${JUDGES.indexOf(target)}|${candidate}`, () =>
      provesFix(endpoint, scope, target, candidate),
    );
  if (!proven) return { ...result, remediation: text.otherwise };
  return {
    ...result,
    remediation: text.proven(modifyPolicyCommand(endpoint, scope, candidate)),
    fix: { policyDocument: candidate },
  };
}
