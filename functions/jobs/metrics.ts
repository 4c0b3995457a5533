/** What a worker task reports to CloudWatch (EMF), as plain counts: the handler only writes them. */
import { STATUSES, type Finding } from '../core/finding';
import type { ScopeScan } from './scan-scope';

const FAILED_SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

export function scanMetrics(scan: ScopeScan, apiCalls: number): Record<string, number> {
  const metrics: Record<string, number> = {};
  const count = (keep: (f: Finding) => boolean): number => scan.findings.filter(keep).length;
  for (const status of STATUSES) metrics[`Findings${status}`] = count((f) => f.status === status);
  for (const severity of FAILED_SEVERITIES) {
    metrics[`Failed${severity}`] = count((f) => f.status === 'FAILED' && f.severity === severity);
  }
  metrics.ApiCalls = apiCalls;
  metrics.AlertsSent = scan.published?.alertsSent ?? 0;
  if (scan.incomplete) metrics.IncompleteScans = 1;
  if (scan.report) metrics[scan.report.written ? 'ReportsWritten' : 'ReportsNotWritten'] = 1;
  return metrics;
}
