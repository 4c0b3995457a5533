/** What the CLI's modules share: its I/O and the outcome of a scan. */
import type { Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: a live scan then redraws a one-line progress bar there instead of printing lines. */
  stderrIsTTY?: boolean | undefined;
  /** The terminal's width, so the bar never wraps (default 80). */
  stderrColumns?: number | undefined;
  /** The clock: when the scan starts (report metadata, --output-dir file names). */
  now?: () => Date;
}

export interface ScanOutcome {
  scopes: ScopeInventory[];
  findings: Finding[];
  /** Problems that left an account-region incomplete, beyond what the inventory records. */
  incomplete: { accountId: string; region: string; reason: string }[];
}
