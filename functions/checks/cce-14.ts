import { verdict, type CallerCheck } from '../core/check';
import type { Severity } from '../core/finding';
import type { Scope } from '../core/scope';
import type { PrincipalActivity } from '../core/traffic';
import { CODECOMMIT_ACTION_ACCESS } from '../policy/codecommit-actions';
import { NETWORK_DOCS } from './network-common';

const DOCS = 'https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html';

/** HIGH when anything was written from outside (a push, or a Write-level API action), else MEDIUM. */
export function trafficSeverity(actions: readonly string[]): Severity {
  return actions.some((a) => a === 'GitPush' || CODECOMMIT_ACTION_ACCESS[a]?.level === 'Write') ? 'HIGH' : 'MEDIUM';
}

function minute(time: string | undefined): string {
  return time ? `${time.slice(0, 16).replace('T', ' ')} UTC` : 'an unknown time';
}

/** ` in the last N h` for a look-back window of an hour or more, else nothing (live detection, one event). */
function windowText(scope: Scope): string {
  const window = scope.trafficWindow;
  if (!window) return '';
  const hours = Math.round((Date.parse(window.EndTime) - Date.parse(window.StartTime)) / 3_600_000);
  return hours >= 1 ? ` in the last ${hours} h` : '';
}

function requests(count: number): string {
  return `${count} CodeCommit request${count === 1 ? '' : 's'}`;
}

function list(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function failed(activity: PrincipalActivity, scope: Scope) {
  const { principal, outside, actions, sources } = activity;
  const span =
    activity.firstOutside === activity.lastOutside
      ? `at ${minute(activity.firstOutside)}`
      : `from ${minute(activity.firstOutside)} to ${minute(activity.lastOutside)}`;
  return verdict(
    'FAILED',
    `${principal.id} made ${requests(outside)} through no endpoint${windowText(scope)}, ${span}: ${list(actions, 4)} from ${list(sources, 3)}.`,
    { severity: trafficSeverity(actions) },
  );
}

function remediation(activity: PrincipalActivity): string {
  const { principal, sources } = activity;
  const who =
    principal.type === 'AWS::IAM::User'
      ? `If ${sources.join(', ')} are not yours, deactivate ${principal.id}'s access keys and Git credentials (aws iam list-access-keys --user-name ${principal.id.split('/').pop() ?? ''}; aws iam update-access-key --status Inactive ...).`
      : `If ${sources.join(', ')} are not yours, revoke the role's active sessions (IAM console: Roles, ${principal.id}, Revoke sessions).`;
  return (
    `${who} If they are your networks, add them to trustedCidrs; otherwise route the clients through an interface endpoint ` +
    `(git-codecommit and codecommit, private DNS) and deny requests from elsewhere with the SCP that CCE.12 proposes (${NETWORK_DOCS.networkPerimeter}).`
  );
}

export const cce14: CallerCheck = {
  id: 'CCE.14',
  title: 'CodeCommit was used from outside your VPC endpoints',
  severity: 'HIGH',
  severityNote: 'HIGH for GitPush or Write actions, else MEDIUM',
  failsWhen:
    'CloudTrail shows, within the look-back window, CodeCommit requests by this principal that came through no interface endpoint (no `vpcEndpointId`, a public `sourceIPAddress` outside `trustedCidrs`, not an AWS service)',
  resourceType: 'caller',
  resourceLabel: 'AWS::IAM::User or AWS::IAM::Role (the caller)',
  risk: 'Code was pulled or pushed from a network you do not control: a laptop at home, a build server elsewhere, or a leaked credential.',
  permissions: ['cloudtrail:LookupEvents'],
  needs: ['cloudTrailEvents'],
  remediationUrl: DOCS,
  findingTypes: ['Effects/Data Exfiltration', 'TTPs/Exfiltration'],
  evaluate(activity, scope) {
    if (activity.outside > 0) return failed(activity, scope);
    const inside = activity.endpoint + activity.private + activity.trusted;
    const { principal } = activity;
    if (inside === 0) {
      return verdict(
        'NOT_APPLICABLE',
        `Only AWS services called CodeCommit on ${principal.id}'s behalf (${requests(activity.service)})${windowText(scope)}.`,
      );
    }
    const ways = [
      activity.endpoint > 0 ? `${activity.endpoint} through endpoints` : '',
      activity.private > 0 ? `${activity.private} from private addresses` : '',
      activity.trusted > 0 ? `${activity.trusted} from trustedCidrs` : '',
    ].filter(Boolean);
    return verdict(
      'PASSED',
      `${inside === 1 ? 'The one CodeCommit request' : `All ${requests(inside)}`} of ${principal.id}${windowText(scope)} stayed inside your networks: ${ways.join(', ')}.`,
    );
  },
  remediation,
};
