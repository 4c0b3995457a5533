/** What the CLI's modules share: its I/O and the outcome of a scan. */
import type { Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface ScanOutcome {
  scopes: ScopeInventory[];
  findings: Finding[];
  /** Problems that left an account-region incomplete, beyond what the inventory records. */
  incomplete: { accountId: string; region: string; reason: string }[];
}
