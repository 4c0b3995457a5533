/** IAM matching primitives: wildcards, principals, conditions (tri-state for unknown keys). */
import type { Condition, PrincipalEntry, Statement } from './parse';

const regexCache = new Map<string, RegExp>();

/** IAM wildcard match: `*` any run (colons included), `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?'))
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = regexCache.get(key);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(key, regex);
  }
  return regex.test(value);
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
  for (const entry of statement.principals.entries) {
    if (entryMatches(entry, principal)) {
      any = true;
      break;
    }
  }
  return statement.principals.negated ? !any : any;
}

function anyPattern(patterns: readonly string[], value: string, ignoreCase: boolean): boolean {
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

/** Request context: a known key (lower-cased) → its values; undefined when the request has none. A Map fits. */
export interface Context {
  get(key: string): readonly string[] | undefined;
}

/** Keys whose value the auditor can know or fix for a request through the endpoint. */
export const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalarn',
  'aws:principalisawsservice',
  'aws:resourceaccount',
  'aws:resourceorgid',
  'aws:resourceorgpaths',
  'aws:sourcevpc',
  'aws:sourcevpce',
]);

export type Tri = 'true' | 'false' | 'unknown';

function baseMatch(operator: string, pattern: string, value: string): boolean | undefined {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return pattern === value;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return wildcardMatch(pattern, value);
    case 'Bool':
      return pattern.toLowerCase() === value.toLowerCase();
    default:
      return undefined;
  }
}

function isNegated(operator: string): boolean {
  return operator.includes('Not');
}

const SUPPORTED = new Set([
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
  'Null',
]);

/** One condition against the context: 'unknown' when the key or operator cannot be decided. */
export function evaluateCondition(condition: Condition, context: Context): Tri {
  const key = condition.keyLower;
  if (!KNOWN_KEYS.has(key) || !SUPPORTED.has(condition.baseOperator)) return 'unknown';
  const values = context.get(key);
  const present = values !== undefined && values.length > 0;
  if (condition.baseOperator === 'Null') {
    const wantAbsent = condition.values.some((v) => v.toLowerCase() === 'true');
    const wantPresent = condition.values.some((v) => v.toLowerCase() === 'false');
    return (wantAbsent && !present) || (wantPresent && present) ? 'true' : 'false';
  }
  if (!present) {
    if (condition.ifExists) return 'true';
    if (condition.setOperator === 'ForAllValues') return 'true';
    return isNegated(condition.baseOperator) && condition.setOperator !== 'ForAnyValue' ? 'true' : 'false';
  }
  const negated = isNegated(condition.baseOperator);
  const matchesAny = (value: string): boolean =>
    condition.values.some((pattern) => baseMatch(condition.baseOperator, pattern, value) === true);
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
