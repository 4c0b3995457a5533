/**
 * IAM matching primitives: wildcards (in linear space, no backtracking regular expression),
 * principals, and conditions, three-valued for what the auditor cannot know.
 */
import { cidrContains, parseCidr } from '../core/cidr';
import { charge } from './budget';
import type { Condition, PrincipalEntry, Statement } from './parse';

/** Pattern split at its stars, cached: the same patterns are matched against many witnesses. */
const SEGMENTS = new Map<string, readonly string[]>();
function segmentsOf(pattern: string): readonly string[] {
  let parts = SEGMENTS.get(pattern);
  if (parts === undefined) {
    if (SEGMENTS.size >= 10_000) SEGMENTS.clear();
    parts = pattern.split('*');
    SEGMENTS.set(pattern, parts);
  }
  return parts;
}

/** `segment` (where `?` is any one character) at position `at` of `value`. */
function segmentAt(segment: string, value: string, at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost place in value[from, end) where `segment` fits, or -1. */
function findSegment(segment: string, value: string, from: number, end: number): number {
  if (!segment.includes('?')) {
    charge((end - from) >> 4);
    const at = value.indexOf(segment, from);
    return at >= 0 && at + segment.length <= end ? at : -1;
  }
  for (let at = from; at + segment.length <= end; at++) {
    charge(1 + (segment.length >> 3));
    if (segmentAt(segment, value, at)) return at;
  }
  return -1;
}

/**
 * IAM wildcard match: `*` any run (colons included), `?` one character. The pattern is cut at
 * its stars into fixed-length segments, each placed leftmost after the one before (leftmost is
 * always right for fixed-length pieces): no backtracking, near-linear in the value's length.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  charge(1 + ((p.length + v.length) >> 4));
  const parts = segmentsOf(p);
  const first = parts[0] as string;
  if (parts.length === 1) return p.length === v.length && segmentAt(p, v, 0);
  const last = parts[parts.length - 1] as string;
  if (first.length + last.length > v.length) return false;
  if (!segmentAt(first, v, 0) || !segmentAt(last, v, v.length - last.length)) return false;
  let from = first.length;
  const end = v.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const segment = parts[i] as string;
    if (segment === '') continue;
    const at = findSegment(segment, v, from, end);
    if (at < 0) return false;
    from = at + segment.length;
  }
  return true;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** A concrete value a pattern matches (wildcards filled), for building witnesses. */
export function fillWildcards(pattern: string, filler = 'x'): string {
  return pattern.replace(/\*/g, filler).replace(/\?/g, filler.charAt(0) || 'x');
}

/** The principal a witness request is made by. */
export interface RequestPrincipal {
  account: string;
  arn: string;
  orgId: string | undefined;
  orgPaths: string[] | undefined;
}

function entryMatches(entry: PrincipalEntry, principal: RequestPrincipal): boolean {
  switch (entry.kind) {
    case 'any':
      return true;
    case 'account':
      // In an interface endpoint policy an account principal means every IAM principal of that account.
      return entry.account === principal.account;
    case 'arn':
      return entry.arn === principal.arn;
    default:
      return false; // Service, Federated and canonical-user principals never make a witness's IAM request.
  }
}

// Plain loops: these run for every witness request of every analysis.
export function principalMatches(statement: Statement, principal: RequestPrincipal): boolean {
  let any = false;
  charge(statement.principals.entries.length);
  for (const entry of statement.principals.entries) {
    if (entryMatches(entry, principal)) {
      any = true;
      break;
    }
  }
  return statement.principals.negated ? !any : any;
}

function anyPattern(patterns: readonly string[], value: string, ignoreCase: boolean): boolean {
  charge(patterns.length);
  for (const pattern of patterns) if (wildcardMatch(pattern, value, ignoreCase)) return true;
  return false;
}

export function actionMatches(statement: Statement, action: string): boolean {
  const any = anyPattern(statement.actions.patterns, action, true);
  return statement.actions.negated ? !any : any;
}

export function resourceMatches(statement: Statement, resource: string): boolean {
  const any = anyPattern(statement.resources.patterns, resource, false);
  return statement.resources.negated ? !any : any;
}

/** A key whose value the auditor cannot know for a request (e.g. a resource tag, aws:VpcSourceIp). */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** Request context: a key (lower-cased) → its values, undefined when the request has none, or UNKNOWN. */
export interface Context {
  get(key: string): readonly string[] | undefined | typeof UNKNOWN;
}

export type Tri = 'true' | 'false' | 'unknown';

/** Keys absent from every request through an interface endpoint (DESIGN section 1: aws:SourceIp). */
const ABSENT_THROUGH_ENDPOINT: ReadonlySet<string> = new Set(['aws:sourceip']);

/**
 * The context every request through one endpoint shares: aws:SourceVpc and aws:SourceVpce are
 * the endpoint's own, aws:SourceIp is absent; every other key is unknown unless `more` knows it.
 */
export class EndpointContext implements Context {
  private readonly known: ReadonlyMap<string, readonly string[]>;

  constructor(vpcId: string, endpointId: string) {
    this.known = new Map([
      ['aws:sourcevpc', [vpcId]],
      ['aws:sourcevpce', [endpointId]],
    ]);
  }

  get(key: string): readonly string[] | undefined | typeof UNKNOWN {
    if (ABSENT_THROUGH_ENDPOINT.has(key)) return undefined;
    return this.known.get(key) ?? UNKNOWN;
  }
}

function baseMatch(operator: string, pattern: string, value: string): boolean {
  switch (operator) {
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
    case 'Bool':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return wildcardMatch(pattern, value);
    case 'IpAddress':
    case 'NotIpAddress': {
      // A value that is not a CIDR (IAM refuses such a policy) matches nothing.
      const block = parseCidr(pattern);
      const address = parseCidr(value);
      return block !== undefined && address !== undefined && cidrContains(block, address);
    }
    default: // StringEquals, StringNotEquals, ArnEquals, ArnNotEquals
      return pattern === value;
  }
}

function isNegated(operator: string): boolean {
  return operator.includes('Not');
}

/** Operators compared on values; the IP operators are judged only on an absent key. */
const COMPARED = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Bool',
  'IpAddress',
  'NotIpAddress',
]);

/** One condition against the context: 'unknown' when the key's value or the operator cannot be decided. */
export function evaluateCondition(condition: Condition, context: Context): Tri {
  const operator = condition.baseOperator;
  const known = COMPARED.has(operator) || operator === 'Null';
  if (!known) return 'unknown';
  const values = context.get(condition.keyLower);
  if (values === UNKNOWN) return 'unknown';
  const present = values !== undefined && values.length > 0;
  if (operator === 'Null') {
    const wantAbsent = condition.values.some((v) => v.toLowerCase() === 'true');
    const wantPresent = condition.values.some((v) => v.toLowerCase() === 'false');
    return (wantAbsent && !present) || (wantPresent && present) ? 'true' : 'false';
  }
  if (!present) {
    if (condition.ifExists) return 'true';
    if (condition.setOperator === 'ForAllValues') return 'true';
    return isNegated(operator) && condition.setOperator !== 'ForAnyValue' ? 'true' : 'false';
  }
  charge(condition.values.length * values.length);
  const negated = isNegated(operator);
  const matchesAny = (value: string): boolean =>
    condition.values.some((pattern) => baseMatch(operator, pattern, value));
  // Per request value: positive operators need a match, negated ones need none.
  const holds = (value: string): boolean => (negated ? !matchesAny(value) : matchesAny(value));
  if (condition.setOperator === 'ForAllValues') return values.every(holds) ? 'true' : 'false';
  if (condition.setOperator === 'ForAnyValue') return values.some(holds) ? 'true' : 'false';
  // Single-valued use: positive = some value matches; negated = no value matches.
  return (negated ? values.every(holds) : values.some(holds)) ? 'true' : 'false';
}

/** All conditions of a statement (AND): false wins, then unknown. */
export function evaluateConditions(statement: Statement, context: Context): Tri {
  let result: Tri = 'true';
  for (const condition of statement.conditions) {
    const value = evaluateCondition(condition, context);
    if (value === 'false') return 'false';
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}
