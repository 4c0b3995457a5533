import { describe, expect, it } from 'vitest';
import { parseParams, parseParamsJson } from '../../functions/core/params';
import { ParameterError } from '../../functions/core/errors';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';

describe('parseParams', () => {
  it('applies every default', () => {
    const params = parseParams({}, CHECK_IDS);
    expect([...params.requiredEndpoints]).toEqual(['git', 'api']);
    expect(params.fipsRequired).toBe('tagged');
    expect(params.fipsTag).toEqual({ key: 'codecommit-audit:fips', value: 'required' });
    expect(params.fipsPushOnly).toBe(true);
    expect(params.exemptTag).toEqual({ key: 'codecommit-audit:exempt', value: 'true' });
    expect(params.ignoreDefaultVpcs).toBe(false);
    expect(params.trustedAccounts).toEqual([]);
    expect(params.trustedOrgIds).toEqual([]);
    expect(params.checks).toHaveLength(CATALOGUE.length);
  });

  it('accepts every value as a string, as AWS Config passes them', () => {
    const params = parseParams(
      {
        requiredEndpoints: 'git',
        fipsRequired: 'ALWAYS',
        fipsTag: 'compliance=fips-140',
        fipsPushOnly: 'false',
        exemptTag: 'audit:skip=yes',
        ignoreDefaultVpcs: 'TRUE',
        trustedAccounts: '111122223333, 444455556666',
        trustedOrgIds: 'o-abcdef1234',
        checks: 'cce.3,CCE.1',
      },
      CHECK_IDS,
    );
    expect([...params.requiredEndpoints]).toEqual(['git']);
    expect(params.fipsRequired).toBe('always');
    expect(params.fipsTag).toEqual({ key: 'compliance', value: 'fips-140' });
    expect(params.fipsPushOnly).toBe(false);
    expect(params.exemptTag).toEqual({ key: 'audit:skip', value: 'yes' });
    expect(params.ignoreDefaultVpcs).toBe(true);
    expect(params.trustedAccounts).toEqual(['111122223333', '444455556666']);
    expect(params.trustedOrgIds).toEqual(['o-abcdef1234']);
    expect(params.checks).toEqual(['CCE.1', 'CCE.3']);
  });

  it('accepts native JSON types too', () => {
    const params = parseParams(
      { fipsPushOnly: false, trustedAccounts: ['111122223333'], ignoreDefaultVpcs: true },
      CHECK_IDS,
    );
    expect(params.fipsPushOnly).toBe(false);
    expect(params.trustedAccounts).toEqual(['111122223333']);
    expect(params.ignoreDefaultVpcs).toBe(true);
  });

  it.each([
    [{ fipsRequird: 'always' }, 'unknown parameter "fipsRequird"'],
    [{ fipsRequired: 'sometimes' }, 'parameter fipsRequired: "sometimes" is not one of always, never, tagged'],
    [{ requiredEndpoints: 'git,ssh' }, 'parameter requiredEndpoints: "git,ssh" names "ssh"; allowed: git, api'],
    [{ fipsPushOnly: 'yes' }, 'parameter fipsPushOnly: "yes" is not true or false'],
    [{ fipsTag: 'no-equals-sign' }, 'parameter fipsTag: "no-equals-sign" is not a tag of the form key=value'],
    [{ trustedAccounts: '1234' }, 'parameter trustedAccounts: "1234" has "1234", which is not a 12-digit account id'],
    [{ trustedOrgIds: 'org-1' }, 'parameter trustedOrgIds: "org-1" has "org-1", which is not an organization id (o-…)'],
    [{ checks: 'CCE.1,CCE.999' }, 'parameter checks: "CCE.1,CCE.999" names unknown check "CCE.999"'],
    [{ checks: ',' }, 'parameter checks: "," names no check'],
    [{ fipsRequired: { a: 1 } }, 'parameter fipsRequired: expected a string, got {"a":1}'],
  ])('rejects %j with a message naming key and value', (input, message) => {
    expect(() => parseParams(input, CHECK_IDS)).toThrow(ParameterError);
    expect(() => parseParams(input, CHECK_IDS)).toThrow(message);
  });
});

describe('parseParamsJson', () => {
  it('parses an object', () => {
    expect(parseParamsJson('{"fipsRequired":"never"}', '--params', CHECK_IDS).fipsRequired).toBe('never');
  });

  it('rejects text that is not JSON, naming the source', () => {
    expect(() => parseParamsJson('{fips', '--params', CHECK_IDS)).toThrow(/^--params is not valid JSON/);
  });

  it('rejects JSON that is not an object', () => {
    expect(() => parseParamsJson('[1]', 'ruleParameters', CHECK_IDS)).toThrow(
      'ruleParameters must be a JSON object of parameters, got an array',
    );
  });
});
