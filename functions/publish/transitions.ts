/** What changed between the previous state in Security Hub and this scan: the alerts. */
import type { Finding, Severity } from '../core/finding';

export type TransitionKind = 'NEW' | 'RESOLVED' | 'SEVERITY_CHANGED';

export interface Transition {
  kind: TransitionKind;
  /** The current finding; for a resource that is gone, the last known one rebuilt from Security Hub. */
  finding: Finding;
  findingId: string;
  /** The finding and the state this alert announces: stable, so a repeat can be recognised. */
  key: string;
  previousSeverity?: Severity | undefined;
}

/** The state an alert announces for a FAILED finding. */
export function failedState(severity: Severity): string {
  return `FAILED:${severity}`;
}

/** An alert's key: the finding and the state the alert announces. */
export function alertKey(findingId: string, state: string): string {
  return `${findingId}|${state}`;
}
