import { verdict, type CallerCheck } from '../core/check';
import type { Severity } from '../core/finding';
import type { Scope } from '../core/scope';
import type { PrincipalActivity } from '../core/traffic';
import { CODECOMMIT_ACTION_ACCESS } from '../policy/codecommit-actions';
import { NETWORK_DOCS } from './network-common';

const DOCS = 'https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html';

function writes(action: string): boolean {
  return action === 'GitPush' || CODECOMMIT_ACTION_ACCESS[action]?.level === 'Write';
}

/**
 * HIGH when something was written from outside (a push, or a Write-level API action that
 * succeeded), else MEDIUM: a refused push still says valid credentials are used from outside,
 * but nothing was written.
 */
export function trafficSeverity(activity: Pick<PrincipalActivity, 'actions' | 'succeeded'>): Severity {
  return (activity.succeeded ?? activity.actions).some(writes) ? 'HIGH' : 'MEDIUM';
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
  const { principal, outside, sources } = activity;
  const denied = activity.denied ?? 0;
  // Writes first: what makes it HIGH is never cut from the message.
  const actions = [...activity.actions.filter(writes), ...activity.actions.filter((a) => !writes(a))];
  const span =
    activity.firstOutside === activity.lastOutside
      ? `at ${minute(activity.firstOutside)}`
      : `between ${minute(activity.firstOutside)} and ${minute(activity.lastOutside)}`;
  return verdict(
    'FAILED',
    `${principal.id} made ${requests(outside)}${denied > 0 ? ` (${denied} denied)` : ''} through no endpoint${windowText(scope)}, ${span}, from ${list(sources, 3)}: ${list(actions, 4)}.`,
    { severity: trafficSeverity(activity) },
  );
}

function remediation(activity: PrincipalActivity, scope: Scope): string {
  const { principal, sources } = activity;
  const from = `If ${sources.join(', ')} ${sources.length === 1 ? 'is' : 'are'} not yours`;
  const where = principal.accountId === scope.accountId ? '' : ` (in account ${principal.accountId}, which owns it)`;
  const name = principal.id.split('/').pop() ?? '';
  const who =
    principal.type === 'AWS::IAM::User' && principal.id.includes('user/')
      ? `${from}, deactivate the user's access keys and Git credentials${where}: aws iam list-access-keys --user-name ${name}, then aws iam update-access-key --user-name ${name} --access-key-id KEY --status Inactive.`
      : principal.type === 'AWS::IAM::Role'
        ? `${from}, revoke the role's active sessions${where} (IAM console: Roles, ${name}, Revoke active sessions) and check who may assume it.`
        : principal.id.endsWith('root')
          ? `${from}, the root user of account ${principal.accountId} is in use from outside: change its password, delete its access keys and require MFA.`
          : `${from}, find who in account ${principal.accountId} made these requests (CloudTrail, the event ids of these requests) and revoke their access.`;
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
