import { UsageError } from '../core/errors';
import type { Finding } from '../core/finding';

export function formatAsff(_findings: readonly Finding[]): string {
  throw new UsageError('--format asff is not available in this version; use --format table or json');
}
