/**
 * Endpoint-policy parsing: JSON string (as EC2 returns it) or object, one statement or
 * an array, every Principal form. Returns a result; never throws on any input.
 */
import { PolicyParseError } from '../core/errors';

export type Effect = 'Allow' | 'Deny';

export type PrincipalEntry =
  | { kind: 'any' }
  | { kind: 'account'; account: string }
  | { kind: 'arn'; arn: string; account: string }
  | { kind: 'service'; value: string }
  | { kind: 'other'; value: string };

/** One condition: operator (with its prefix and IfExists split off), key, values. */
export interface Condition {
  operator: string;
  baseOperator: string;
  setOperator: 'ForAnyValue' | 'ForAllValues' | undefined;
  ifExists: boolean;
  key: string;
  /** The key lower-cased (condition keys are case-insensitive). */
  keyLower: string;
  values: string[];
}

export interface Statement {
  index: number;
  sid: string | undefined;
  effect: Effect;
  actions: { negated: boolean; patterns: string[] };
  resources: { negated: boolean; patterns: string[] };
  principals: { negated: boolean; entries: PrincipalEntry[] };
  conditions: Condition[];
  /** The statement as written, for corrected versions in remediation. */
  raw: Record<string, unknown>;
}

export interface Policy {
  statements: Statement[];
  /** The document as written (parsed), for corrected versions that keep everything else. */
  document: Record<string, unknown>;
  /** No policy was attached: AWS applies its default full-access policy. */
  isDefault: boolean;
}

export type ParseResult = { ok: true; policy: Policy } | { ok: false; error: string };

export const DEFAULT_POLICY_TEXT = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function label(index: number, sid: string | undefined): string {
  return sid ? `statement ${index} ("${sid}")` : `statement ${index}`;
}

function stringList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item) => typeof item === 'string')) {
    throw new PolicyParseError(`${what} must be a string or a non-empty array of strings`);
  }
  return list;
}

/** Exactly one of the element and its Not form. */
function pick(statement: Json, name: string, where: string): { negated: boolean; value: unknown } {
  const positive = statement[name];
  const negative = statement[`Not${name}`];
  if (positive !== undefined && negative !== undefined)
    throw new PolicyParseError(`${where} has both ${name} and Not${name}`);
  if (positive === undefined && negative === undefined)
    throw new PolicyParseError(`${where} has no ${name} or Not${name}`);
  return positive !== undefined ? { negated: false, value: positive } : { negated: true, value: negative };
}

const ACCOUNT = /^\d{12}$/;
const ROOT_ARN = /^arn:[a-z-]+:iam::(\d{12}):root$/;
const IAM_ARN = /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):.+$/;

function awsPrincipal(value: string): PrincipalEntry {
  if (value === '*') return { kind: 'any' };
  if (ACCOUNT.test(value)) return { kind: 'account', account: value };
  const root = ROOT_ARN.exec(value);
  if (root?.[1]) return { kind: 'account', account: root[1] };
  const arn = IAM_ARN.exec(value);
  if (arn?.[1]) return { kind: 'arn', arn: value, account: arn[1] };
  return { kind: 'other', value };
}

function principals(value: unknown, where: string): PrincipalEntry[] {
  if (value === '*') return [{ kind: 'any' }];
  if (!isObject(value)) throw new PolicyParseError(`${where}: Principal must be "*" or an object such as {"AWS": ...}`);
  const entries: PrincipalEntry[] = [];
  for (const [type, raw] of Object.entries(value)) {
    const values = stringList(raw, `${where}: Principal.${type}`);
    for (const item of values) {
      if (type === 'AWS') entries.push(awsPrincipal(item));
      else if (type === 'Service') entries.push({ kind: 'service', value: item });
      else if (type === 'Federated' || type === 'CanonicalUser') entries.push({ kind: 'other', value: item });
      else throw new PolicyParseError(`${where}: unknown principal type "${type}"`);
    }
  }
  if (entries.length === 0) throw new PolicyParseError(`${where}: Principal names no principal`);
  return entries;
}

function conditions(value: unknown, where: string): Condition[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw new PolicyParseError(`${where}: Condition must be an object`);
  const out: Condition[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) throw new PolicyParseError(`${where}: Condition.${operator} must be an object of keys`);
    let base = operator;
    let setOperator: Condition['setOperator'];
    const colon = base.indexOf(':');
    if (colon >= 0) {
      const prefix = base.slice(0, colon);
      if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues')
        throw new PolicyParseError(`${where}: unknown condition operator prefix "${prefix}"`);
      setOperator = prefix;
      base = base.slice(colon + 1);
    }
    const ifExists = base.endsWith('IfExists');
    if (ifExists) base = base.slice(0, -'IfExists'.length);
    for (const [key, raw] of Object.entries(block)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((item) => typeof item === 'string' || typeof item === 'boolean' || typeof item === 'number')) {
        throw new PolicyParseError(
          `${where}: Condition.${operator}.${key} must be a string, boolean, number or an array of them`,
        );
      }
      out.push({
        operator,
        baseOperator: base,
        setOperator,
        ifExists,
        key,
        keyLower: key.toLowerCase(),
        values: list.map(String),
      });
    }
  }
  return out;
}

/**
 * Which kind of policy: an endpoint policy names its principals (Principal is required); an
 * SCP or an identity policy applies to the principals it is attached to (no Principal).
 */
export type PolicyKind = 'endpoint' | 'attached';

function statement(raw: unknown, index: number, kind: PolicyKind): Statement {
  if (!isObject(raw)) throw new PolicyParseError(`statement ${index} is not an object`);
  const sid = typeof raw.Sid === 'string' && raw.Sid !== '' ? raw.Sid : undefined;
  const where = label(index, sid);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny')
    throw new PolicyParseError(
      `${where}: Effect must be "Allow" or "Deny", got ${JSON.stringify(effect) ?? 'nothing'}`,
    );
  const action = pick(raw, 'Action', where);
  const resource = pick(raw, 'Resource', where);
  const principal =
    kind === 'attached' && raw.Principal === undefined && raw.NotPrincipal === undefined
      ? { negated: false, value: '*' }
      : pick(raw, 'Principal', where);
  return {
    index,
    sid,
    effect,
    actions: {
      negated: action.negated,
      patterns: stringList(action.value, `${where}: ${action.negated ? 'NotAction' : 'Action'}`),
    },
    resources: {
      negated: resource.negated,
      patterns: stringList(resource.value, `${where}: ${resource.negated ? 'NotResource' : 'Resource'}`),
    },
    principals: { negated: principal.negated, entries: principals(principal.value, where) },
    conditions: conditions(raw.Condition, where),
    raw,
  };
}

/** IAM's policy documents come URL-encoded from the API (the AWS CLI decodes them): decode when so. */
export function decodePolicyText(text: string): string {
  const trimmed = text.trim();
  if (!/^%7B/i.test(trimmed)) return text;
  try {
    return decodeURIComponent(trimmed.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Parse a policy document. An endpoint policy that is missing is AWS's default full-access
 * policy; an attached policy (SCP, identity) must be there, and has no Principal.
 */
export function parsePolicy(document: unknown, kind: PolicyKind = 'endpoint'): ParseResult {
  try {
    let isDefault = false;
    let value = document;
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (kind === 'attached') return { ok: false, error: 'policy is empty' };
      value = DEFAULT_POLICY_TEXT;
      isDefault = true;
    }
    if (typeof value === 'string') {
      const text = decodePolicyText(value);
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { ok: false, error: `policy is not valid JSON: ${(error as Error).message}` };
      }
    }
    if (!isObject(value)) return { ok: false, error: 'policy is not a JSON object' };
    const raw = value.Statement;
    if (raw === undefined) return { ok: false, error: 'policy has no Statement' };
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) return { ok: false, error: 'policy has an empty Statement list' };
    return {
      ok: true,
      policy: { statements: list.map((item, index) => statement(item, index, kind)), document: value, isDefault },
    };
  } catch (error) {
    if (error instanceof PolicyParseError) return { ok: false, error: `policy ${error.message}` };
    // Anything else (e.g. a document nested too deeply to read) is still an answer, never a crash.
    return { ok: false, error: `policy could not be read: ${(error as Error).message}` };
  }
}

export function statementLabel(s: Statement): string {
  return s.sid ? `Statement "${s.sid}"` : `Statement ${s.index}`;
}
