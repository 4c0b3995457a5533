import type { Finding } from '../core/finding';
import { formatAsffFindings } from '../publish/asff';

/** `--format asff`: exactly what would be imported into Security Hub, as a JSON array. */
export function formatAsff(findings: readonly Finding[], reportPassed = false, now = new Date().toISOString()): string {
  return `${JSON.stringify(formatAsffFindings(findings, now, reportPassed), null, 2)}\n`;
}
