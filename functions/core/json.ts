/** The one JSON reader for everything that comes from outside: files, events, parameters, message bodies. */
import type { AuditorError } from './errors';

type ErrorClass = new (message: string, options?: { cause?: unknown }) => AuditorError;

/**
 * Parse JSON text, or throw `ErrorClass` naming what was read and why it is not JSON.
 * A UTF-8 byte-order mark (which editors on Windows write) is accepted and skipped.
 */
export function readJson(text: string, what: string, ErrorClass: ErrorClass): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new ErrorClass(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short description of a value for error messages: its type and the start of its JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}
