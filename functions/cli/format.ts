/** Output formats for findings: a readable table and deterministic JSON. */
import { STATUSES, SEVERITIES, type Finding } from '../core/finding';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}

/** One line per status: its count, and for FAILED the count per severity. */
export function summaryLines(findings: readonly Finding[]): string[] {
  return STATUSES.map((status) => {
    const matching = findings.filter((f) => f.status === status);
    let line = `${pad(`${status}:`, 16)}${matching.length}`;
    if (status === 'FAILED' && matching.length > 0) {
      const bySeverity = [...SEVERITIES]
        .reverse()
        .map((severity) => [severity, matching.filter((f) => f.severity === severity).length] as const)
        .filter(([, count]) => count > 0)
        .map(([severity, count]) => `${severity} ${count}`);
      line += ` (${bySeverity.join(', ')})`;
    }
    return line;
  });
}

/** A table grouped by account-region: resource, check, status, severity, message. */
export function formatTable(findings: readonly Finding[]): string {
  const lines: string[] = [];
  const headers = ['RESOURCE', 'CHECK', 'STATUS', 'SEVERITY', 'MESSAGE'] as const;
  const widths = [
    Math.max(headers[0].length, ...findings.map((f) => f.resourceId.length)),
    Math.max(headers[1].length, ...findings.map((f) => f.checkId.length)),
    Math.max(headers[2].length, ...findings.map((f) => f.status.length)),
    Math.max(headers[3].length, ...findings.map((f) => f.severity.length)),
  ];
  const row = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i < widths.length ? pad(cell, widths[i] ?? 0) : cell)).join('  ').trimEnd();

  let scope = '';
  for (const finding of findings) {
    const current = `${finding.accountId} ${finding.region}`;
    if (current !== scope) {
      if (scope !== '') lines.push('');
      lines.push(`Account ${finding.accountId}, region ${finding.region}`);
      lines.push(row(headers));
      scope = current;
    }
    lines.push(row([finding.resourceId, finding.checkId, finding.status, finding.severity, finding.message]));
  }
  if (findings.length === 0) lines.push('No findings: the inventory has no VPC or CodeCommit endpoint in scope.');
  lines.push('', `Summary of ${findings.length} findings:`, ...summaryLines(findings));
  return `${lines.join('\n')}\n`;
}
