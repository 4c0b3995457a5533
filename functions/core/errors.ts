/**
 * Every error class the auditor raises on purpose, in one place. Each carries a message fit
 * for a user (naming the offending value) and passes its `cause` through.
 */
interface ErrorOptions {
  cause?: unknown;
}

/** Base class: an error the auditor raises on purpose. The CLI prints its message without a stack trace. */
export class AuditorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditorError';
  }
}

/** A parameter (CLI `--params`, Config `InputParameters`, deployment) has a bad key or value. */
export class ParameterError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ParameterError';
  }
}

/** An inventory document is not of the DESIGN section 4 shape. */
export class InventoryError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InventoryError';
  }
}

/** Bad command-line usage or an unreadable input file. */
export class UsageError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** A deployment setting (environment variable) is missing or malformed. */
export class ConfigurationError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** Nothing could be scanned: the account or its regions could not be read (CLI exit code 3, not 2). */
export class ScanFailedError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScanFailedError';
  }
}

/** An AWS Config rule event is not of the documented shape. */
export class ConfigEventError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigEventError';
  }
}

/** A scan task (SQS message body) is not of the shape the scheduler writes. */
export class TaskError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TaskError';
  }
}

/** Some Config evaluations could not be made (ERROR) or were not accepted: raised after the rest was sent. */
export class EvaluationFailedError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EvaluationFailedError';
  }
}

/** Findings, alerts or tasks that could not be delivered after retries: raised so the work is retried. */
export class DeliveryError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** An AWS response lacked what the API promises (e.g. AssumeRole without credentials). */
export class AwsResponseError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AwsResponseError';
  }
}

/** A policy document that is not a policy (internal to the parser, which returns a result instead). */
export class PolicyParseError extends AuditorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyParseError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
