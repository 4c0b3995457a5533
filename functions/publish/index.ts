/** Publishing a scan: Security Hub per account-region, then SNS alerts on what changed. */
import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { CheckId, Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import { incompleteScopes } from '../core/engine';
import type { CallCounter } from '../core/call-counter';
import { awsErrorInfo } from '../core/service-errors';
import { publishToSecurityHub, type SecurityHubOutcome } from './securityhub';
import { findingId } from './asff';
import type { ReportLink } from './links';
import { alertFor, digestFor, linkedAlertFor, publishAlerts, type Alert } from './sns';
import { alertKey, failedState } from './transitions';

export interface PublishTargets {
  /** Security Hub client holding credentials of the given account, for that region. */
  securityHub?: (accountId: string, region: string) => SecurityHubClient;
  sns?: { client: SNSClient; topicArn: string };
}

export interface ScopeReport {
  accountId: string;
  region: string;
  securityHub?: SecurityHubOutcome;
  alerts: number;
}

export interface PublishReport {
  scopes: ScopeReport[];
  alertsSent: number;
  /** Everything that could not be delivered, one line each. */
  failures: string[];
}

export interface PublishScanOptions {
  now: string;
  checksRun: readonly CheckId[];
  /** Extra ProductFields per finding (see securityhub ScopeFindings). */
  productFields?: ((finding: Finding) => Record<string, string> | undefined) | undefined;
  /** The scope's active findings, already read (one scope only). */
  previous?: AwsSecurityFinding[] | undefined;
  reportPassed?: boolean;
  /** The report written for an account-region of this scan, which its alerts link to. */
  reportOf?: ((accountId: string, region: string) => ReportLink | undefined) | undefined;
  counter?: CallCounter;
  sleep?: (ms: number) => Promise<void>;
}

/** Why a scan published without Security Hub sends a digest. */
const NOT_REQUESTED = 'Security Hub publishing was not requested';

export interface AlertPreview {
  /** NEW: what a first scan with Security Hub sends; DIGEST: what a scan without it sends instead. */
  kind: 'NEW' | 'DIGEST';
  alert: Alert;
}

/**
 * The alerts of a scan, computed without any AWS call (a dry run). With no Security Hub to
 * compare against, every FAILED finding is NEW, as on the first scan with Security Hub; and each
 * account-region's digest, as a scan without Security Hub sends it.
 */
export function previewAlerts(scopes: readonly ScopeInventory[], findings: readonly Finding[]): AlertPreview[] {
  return scopes.flatMap(({ accountId, region }) => {
    const scopeFindings = findings.filter((f) => f.accountId === accountId && f.region === region);
    const alerts: AlertPreview[] = scopeFindings
      .filter((f) => f.status === 'FAILED')
      .map((finding) => {
        const id = findingId(finding);
        return {
          kind: 'NEW',
          alert: alertFor({ kind: 'NEW', finding, findingId: id, key: alertKey(id, failedState(finding.severity)) }),
        };
      });
    const digest = digestFor(accountId, region, scopeFindings, NOT_REQUESTED);
    return digest ? [...alerts, { kind: 'DIGEST' as const, alert: digest }] : alerts;
  });
}

export async function publishScan(
  scopes: readonly ScopeInventory[],
  findings: readonly Finding[],
  targets: PublishTargets,
  options: PublishScanOptions,
): Promise<PublishReport> {
  // Account-level data that could not be read leaves the regional findings complete (its own checks give ERROR on '*').
  const incomplete = new Set(incompleteScopes(scopes, true).map((s) => `${s.accountId} ${s.region}`));
  const report: PublishReport = { scopes: [], alertsSent: 0, failures: [] };
  const alerts: Alert[] = [];
  const confirmations: { scope: string; confirm: SecurityHubOutcome['confirm'] }[] = [];

  for (const scope of scopes) {
    const { accountId, region } = scope;
    const scopeFindings = findings.filter((f) => f.accountId === accountId && f.region === region);
    const entry: ScopeReport = { accountId, region, alerts: 0 };
    const reportLink = options.reportOf?.(accountId, region);
    let digestReason: string | undefined = NOT_REQUESTED;
    if (targets.securityHub) {
      try {
        const outcome = await publishToSecurityHub(
          targets.securityHub(accountId, region),
          {
            accountId,
            region,
            findings: scopeFindings,
            complete: !incomplete.has(`${accountId} ${region}`),
            checksRun: options.checksRun,
            productFields: options.productFields,
            previous: options.previous,
          },
          { ...options, alerting: targets.sns !== undefined },
        );
        entry.securityHub = outcome;
        confirmations.push({ scope: `${accountId} ${region}`, confirm: outcome.confirm });
        for (const failed of outcome.failed)
          report.failures.push(`securityhub ${accountId} ${region}: ${failed.id}: ${failed.code} ${failed.message}`);
        if (outcome.enabled) {
          digestReason = undefined;
          alerts.push(...outcome.transitions.map(linkedAlertFor(reportLink)));
          entry.alerts = outcome.transitions.length;
        } else {
          digestReason = `${outcome.unavailable?.code ?? 'not enabled'}`;
        }
      } catch (error) {
        // A failing Security Hub (not a disabled one) sends no digest: the task fails and is run again,
        // and the alerts follow once Security Hub answers, each once.
        const { code, message } = awsErrorInfo(error);
        report.failures.push(`securityhub ${accountId} ${region}: ${code}: ${message}`);
        digestReason = undefined;
      }
    }
    if (digestReason !== undefined) {
      const digest = digestFor(accountId, region, scopeFindings, digestReason, reportLink);
      if (digest) {
        alerts.push(digest);
        entry.alerts = 1;
      }
    }
    report.scopes.push(entry);
  }

  let delivered = new Set<string>();
  if (targets.sns && alerts.length > 0) {
    const outcome = await publishAlerts(targets.sns.client, targets.sns.topicArn, alerts, options);
    report.alertsSent = outcome.sent;
    delivered = outcome.delivered;
    for (const failed of outcome.failed) report.failures.push(`sns: ${failed.id}: ${failed.code} ${failed.message}`);
  }
  // Only delivered alerts are recorded as alerted: the others are due again at the next scan.
  for (const { scope, confirm } of confirmations) {
    try {
      for (const failed of await confirm(delivered)) {
        report.failures.push(`securityhub ${scope}: alert record ${failed.id}: ${failed.code} ${failed.message}`);
      }
    } catch (error) {
      const { code, message } = awsErrorInfo(error);
      report.failures.push(`securityhub ${scope}: alert records: ${code}: ${message}`);
    }
  }
  return report;
}
