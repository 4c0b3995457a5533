import { UsageError } from '../core/errors';
import type { Params } from '../core/params';
import type { CliOptions } from './args';
import type { CliIo, ScanOutcome } from './main';

export function liveScan(_options: CliOptions, _params: Params, _io: CliIo): Promise<ScanOutcome> {
  return Promise.reject(new UsageError('live scans are not available in this version; use --demo or --inventory FILE'));
}
