import { UsageError } from '../core/errors';
import type { Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import type { CallCounter } from '../aws/collector';
import type { CliOptions } from './args';
import type { CliIo, ScanOutcome } from './main';

export function publishFindings(
  _options: CliOptions,
  _scopes: ScopeInventory[],
  _findings: Finding[],
  _context: { profile: string | undefined; counter: CallCounter },
  _io: CliIo,
): Promise<ScanOutcome['incomplete']> {
  return Promise.reject(new UsageError('--publish is not available in this version'));
}
