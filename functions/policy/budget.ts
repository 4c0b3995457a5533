/**
 * A bound on the work one policy analysis may do. Every matching primitive charges the meter
 * that is running (about one step per pattern, value or statement matched, or per dozen characters compared), so
 * a policy that needs more than the budget gives "too complex" instead of a stalled scan,
 * whatever its shape. Analysis is synchronous: one meter runs at a time.
 */
export class PolicyTooComplexError extends Error {
  constructor(readonly steps: number) {
    super(`the policy is too complex to analyse (more than ${steps.toLocaleString('en')} steps)`);
    this.name = 'PolicyTooComplexError';
  }
}

export class Meter {
  used = 0;
  constructor(readonly limit: number) {}

  charge(steps: number): void {
    this.used += steps;
    if (this.used > this.limit) throw new PolicyTooComplexError(this.limit);
  }
}

let running: Meter | undefined;

/** Run `work` with every step charged to `meter` (nested meters charge the innermost). */
export function metered<T>(meter: Meter, work: () => T): T {
  const outer = running;
  running = meter;
  try {
    return work();
  } finally {
    running = outer;
  }
}

/** Charge the running meter, if any: matching outside an analysis is free. */
export function charge(steps: number): void {
  if (running !== undefined) running.charge(steps);
}
