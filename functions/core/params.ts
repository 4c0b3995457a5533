/**
 * The one parameter set (DESIGN section 3) shared by the CLI, the Config rules and the
 * deployment. Every value may arrive as a string (AWS Config passes strings only).
 */
import { formatCidr, parseCidr, type Cidr } from './cidr';
import { ParameterError } from './errors';
import type { CheckId } from './finding';
import { readJson, isJsonObject } from './json';
import { commaList } from './lists';
import type { Traffic } from './regions';

export type FipsRequired = 'always' | 'never' | 'tagged';

export interface Tag {
  key: string;
  value: string;
}

export interface Params {
  requiredEndpoints: ReadonlySet<Traffic>;
  fipsRequired: FipsRequired;
  fipsTag: Tag;
  fipsPushOnly: boolean;
  exemptTag: Tag;
  ignoreDefaultVpcs: boolean;
  trustedAccounts: readonly string[];
  trustedOrgIds: readonly string[];
  checks: readonly CheckId[];
  /** Principal tag keys whose documented perimeter exceptions are accepted (e.g. dp:exclude:resource). */
  perimeterExceptionTags: readonly string[];
  /** Public CIDRs of your own networks: requests from them count as inside (CCE.12–CCE.14). */
  trustedCidrs: readonly Cidr[];
  /** How far back CCE.14 reads CloudTrail on a scheduled scan, in hours. */
  trafficLookbackHours: number;
}

/** CloudTrail's event history keeps 90 days. */
export const MAX_LOOKBACK_HOURS = 90 * 24;

export const PARAMETER_DEFAULTS: Readonly<Record<ParamKey, string>> = {
  requiredEndpoints: 'git,api',
  fipsRequired: 'tagged',
  fipsTag: 'codecommit-audit:fips=required',
  fipsPushOnly: 'true',
  exemptTag: 'codecommit-audit:exempt=true',
  ignoreDefaultVpcs: 'false',
  trustedAccounts: '',
  trustedOrgIds: '',
  // Empty means every check of the catalogue: no list of ids is written here.
  checks: '',
  perimeterExceptionTags: '',
  trustedCidrs: '',
  trafficLookbackHours: '24',
};

export type ParamKey =
  | 'requiredEndpoints'
  | 'fipsRequired'
  | 'fipsTag'
  | 'fipsPushOnly'
  | 'exemptTag'
  | 'ignoreDefaultVpcs'
  | 'trustedAccounts'
  | 'trustedOrgIds'
  | 'checks'
  | 'perimeterExceptionTags'
  | 'trustedCidrs'
  | 'trafficLookbackHours';

export const PARAMETER_KEYS = Object.keys(PARAMETER_DEFAULTS) as ParamKey[];

function bad(key: string, value: string, why: string): ParameterError {
  return new ParameterError(`parameter ${key}: ${JSON.stringify(value)} ${why}`);
}

/** Accepts a string, a boolean, a number or an array of strings; returns the string form. */
function asText(key: string, raw: unknown): string {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'boolean' || typeof raw === 'number') return String(raw);
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw.join(',');
  throw new ParameterError(`parameter ${key}: expected a string, got ${JSON.stringify(raw)}`);
}

function parseBoolean(key: string, text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw bad(key, text, 'is not true or false');
}

function parseTag(key: string, text: string): Tag {
  const at = text.indexOf('=');
  if (at <= 0) throw bad(key, text, 'is not a tag of the form key=value');
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

/**
 * Validate parameters against the catalogue's check ids (`knownChecks`). Unknown keys and bad
 * values are errors naming the key and value. An empty string means the default.
 */
export function parseParams(input: Readonly<Record<string, unknown>>, knownChecks: readonly CheckId[]): Params {
  for (const key of Object.keys(input)) {
    if (!(PARAMETER_KEYS as string[]).includes(key)) {
      throw new ParameterError(
        `unknown parameter ${JSON.stringify(key)}; known parameters: ${PARAMETER_KEYS.join(', ')}`,
      );
    }
  }
  const text = (key: ParamKey): string => {
    const raw = input[key];
    if (raw === undefined || raw === null) return PARAMETER_DEFAULTS[key];
    const value = asText(key, raw);
    return value === '' ? PARAMETER_DEFAULTS[key] : value;
  };

  const requiredText = text('requiredEndpoints');
  const required = [...new Set(commaList(requiredText).map((item) => item.toLowerCase()))];
  for (const item of required) {
    if (item !== 'git' && item !== 'api')
      throw bad('requiredEndpoints', requiredText, `names ${JSON.stringify(item)}; allowed: git, api`);
  }

  const fipsText = text('fipsRequired').toLowerCase();
  if (fipsText !== 'always' && fipsText !== 'never' && fipsText !== 'tagged') {
    throw bad('fipsRequired', fipsText, 'is not one of always, never, tagged');
  }

  const accountsText = text('trustedAccounts');
  const trustedAccounts = commaList(accountsText);
  for (const account of trustedAccounts) {
    if (!/^\d{12}$/.test(account))
      throw bad('trustedAccounts', accountsText, `has ${JSON.stringify(account)}, which is not a 12-digit account id`);
  }

  const orgsText = text('trustedOrgIds');
  const trustedOrgIds = commaList(orgsText);
  for (const org of trustedOrgIds) {
    if (!/^o-[a-z0-9]{10,32}$/.test(org))
      throw bad('trustedOrgIds', orgsText, `has ${JSON.stringify(org)}, which is not an organization id (o-…)`);
  }

  const checksText = text('checks');
  const checks = checksText === '' ? [...knownChecks] : commaList(checksText).map((id) => id.toUpperCase());
  for (const id of checks) {
    if (!(knownChecks as readonly string[]).includes(id))
      throw bad('checks', checksText, `names unknown check ${JSON.stringify(id)}; known: ${knownChecks.join(', ')}`);
  }
  if (checks.length === 0) throw bad('checks', checksText, 'names no check');

  const tagsText = text('perimeterExceptionTags');
  const perimeterExceptionTags = commaList(tagsText);
  for (const tag of perimeterExceptionTags) {
    // IAM tag keys: up to 128 of letters, digits, spaces and _ . : / = + - @
    if (!/^[\p{L}\p{N} _.:/=+\-@]{1,128}$/u.test(tag) || /^aws:/i.test(tag))
      throw bad('perimeterExceptionTags', tagsText, `has ${JSON.stringify(tag)}, which is not a principal tag key`);
  }

  const cidrsText = text('trustedCidrs');
  const trustedCidrs = commaList(cidrsText).map((item) => {
    const cidr = parseCidr(item);
    if (!cidr)
      throw bad(
        'trustedCidrs',
        cidrsText,
        `has ${JSON.stringify(item)}, which is not a CIDR block such as 203.0.113.0/24`,
      );
    return cidr;
  });

  const hoursText = text('trafficLookbackHours');
  const trafficLookbackHours = /^\d{1,4}$/.test(hoursText) ? Number(hoursText) : Number.NaN;
  if (!(trafficLookbackHours >= 1 && trafficLookbackHours <= MAX_LOOKBACK_HOURS))
    throw bad(
      'trafficLookbackHours',
      hoursText,
      `is not a whole number of hours from 1 to ${MAX_LOOKBACK_HOURS} (90 days)`,
    );

  return {
    requiredEndpoints: new Set(required as Traffic[]),
    fipsRequired: fipsText,
    fipsTag: parseTag('fipsTag', text('fipsTag')),
    fipsPushOnly: parseBoolean('fipsPushOnly', text('fipsPushOnly')),
    exemptTag: parseTag('exemptTag', text('exemptTag')),
    ignoreDefaultVpcs: parseBoolean('ignoreDefaultVpcs', text('ignoreDefaultVpcs')),
    trustedAccounts,
    trustedOrgIds,
    checks: knownChecks.filter((id) => checks.includes(id)),
    perimeterExceptionTags,
    trustedCidrs,
    trafficLookbackHours,
  };
}

/** trustedCidrs as text, for messages and keys. */
export function cidrList(params: Pick<Params, 'trustedCidrs'>): string {
  return params.trustedCidrs.map(formatCidr).join(', ');
}

/** Parse the JSON text of a parameter object (CLI `--params`, Config `ruleParameters`, `AUDIT_PARAMETERS`). */
export function parseParamsJson(text: string, source: string, knownChecks: readonly CheckId[]): Params {
  const value = readJson(text, source, ParameterError);
  if (!isJsonObject(value)) {
    throw new ParameterError(
      `${source} must be a JSON object of parameters, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
    );
  }
  return parseParams(value, knownChecks);
}
