/** Base class: every error the auditor raises on purpose carries a message fit for a user. */
export class AuditorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditorError';
  }
}

/** A parameter (CLI `--params`, Config `InputParameters`, deployment) has a bad key or value. */
export class ParameterError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParameterError';
  }
}

/** An inventory document is not of the DESIGN section 4 shape. */
export class InventoryError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InventoryError';
  }
}

/** Bad command-line usage or an unreadable input file. */
export class UsageError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
