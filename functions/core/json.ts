/** The one JSON reader for everything that comes from outside: files, events, parameters, message bodies. */
import type { AuditorError } from './errors';

type ErrorClass = new (message: string, options?: { cause?: unknown }) => AuditorError;

/** Deeper than any AWS document (policies, events, inventories): beyond it, JSON is refused, not overflowed on. */
export const MAX_JSON_DEPTH = 64;

/** How deeply objects and arrays nest in a parsed value (iteratively: any depth is measured safely). */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Parse JSON text, or throw `ErrorClass` naming what was read and why it is not JSON.
 * A UTF-8 byte-order mark (which editors on Windows write) is accepted and skipped; JSON nested
 * more than MAX_JSON_DEPTH levels is refused.
 */
export function readJson(text: string, what: string, ErrorClass: ErrorClass): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new ErrorClass(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ErrorClass(`${what} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes read from a file as UTF-8 text, or `ErrorClass` saying where the first invalid byte is. */
export function decodeUtf8(bytes: Uint8Array, what: string, ErrorClass: ErrorClass): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    // Find the first bad byte for the message (decoding prefixes is rare work: only on this error).
    let low = 0;
    let high = bytes.length;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        low = mid;
      } catch {
        high = mid;
      }
    }
    throw new ErrorClass(`${what} is not valid UTF-8 text (invalid byte at offset ${low})`);
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
