/** Output formats for findings: a readable table and deterministic JSON. */
import { STATUSES, SEVERITIES, type Finding } from '../core/finding';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/**
 * A JSON array with one finding per line, in chunks of text: compact enough for a million
 * findings, still greppable, byte-for-byte the same for the same input.
 */
export function* formatJsonChunks(findings: readonly Finding[], chunkSize = 1000): Generator<string> {
  if (findings.length === 0) {
    yield '[]\n';
    return;
  }
  for (let start = 0; start < findings.length; start += chunkSize) {
    const lines: string[] = [];
    const end = Math.min(start + chunkSize, findings.length);
    for (let i = start; i < end; i++) lines.push(JSON.stringify(findings[i]));
    yield `${start === 0 ? '[\n' : ',\n'}${lines.join(',\n')}${end === findings.length ? '\n]\n' : ''}`;
  }
}

export function formatJson(findings: readonly Finding[]): string {
  return [...formatJsonChunks(findings)].join('');
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
  // A loop, not Math.max(...spread): a large scan has more findings than the call stack has room for arguments.
  const widths: number[] = [headers[0].length, headers[1].length, headers[2].length, headers[3].length];
  for (const f of findings) {
    widths[0] = Math.max(widths[0] ?? 0, f.resourceId.length);
    widths[1] = Math.max(widths[1] ?? 0, f.checkId.length);
    widths[2] = Math.max(widths[2] ?? 0, f.status.length);
    widths[3] = Math.max(widths[3] ?? 0, f.severity.length);
  }
  const row = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i < widths.length ? pad(cell, widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd();

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
