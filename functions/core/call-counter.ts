/** API calls per operation (pages, not retries). */
export class CallCounter {
  readonly counts = new Map<string, number>();
  /** The operation counted last: the call in flight when a collection step fails. */
  last: string | undefined;

  add(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
    this.last = operation;
  }

  merge(other: CallCounter): void {
    for (const [operation, count] of other.counts)
      this.counts.set(operation, (this.counts.get(operation) ?? 0) + count);
  }

  total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
