import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, PolicyTooComplexError, analyzePolicy } from '../../functions/policy/analyze';
import { Meter, metered } from '../../functions/policy/budget';
import { viewPolicy } from '../../functions/policy/index';
import { wildcardMatch } from '../../functions/policy/match';
import { parsePolicy } from '../../functions/policy/parse';
import { ENDPOINT_POLICY_LIMIT, FAMILIES, hostilePolicy, largest, text } from '../fixtures/adversarial-policies';
import { GIT, NO_TRUST } from './helpers';
import { only } from '../fixtures/builders';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { evaluate } from '../../functions/core/engine';
import { parseParams } from '../../functions/core/params';
import { withPolicy } from '../checks/policy-helpers';

/** IAM wildcards as a regular expression: the obvious definition, fine on short inputs. */
function reference(pattern: string, value: string): boolean {
  const source = [...pattern].map((c) =>
    c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'),
  );
  return new RegExp(`^${source.join('')}$`).test(value);
}

describe('wildcardMatch', () => {
  it('agrees with the regular-expression definition', () => {
    const pattern = fc
      .array(fc.constantFrom('a', 'b', ':', '*', '?', 'ab', '**'), { maxLength: 12 })
      .map((p) => p.join(''));
    const value = fc.array(fc.constantFrom('a', 'b', ':'), { maxLength: 14 }).map((v) => v.join(''));
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        expect(wildcardMatch(p, v)).toBe(reference(p, v));
      }),
      { numRuns: 5000 },
    );
  });

  it('ignores case when asked', () => {
    expect(wildcardMatch('codecommit:Git*', 'CODECOMMIT:GITPUSH', true)).toBe(true);
    expect(wildcardMatch('codecommit:Git*', 'CODECOMMIT:GITPUSH')).toBe(false);
  });

  it('takes a 20,000-character value against a pattern of 2,000 stars without backtracking', () => {
    const value = 'a'.repeat(20_000);
    expect(wildcardMatch(`${'*a'.repeat(2_000)}b`, value)).toBe(false);
    expect(wildcardMatch(`${'*a'.repeat(2_000)}*`, value)).toBe(true);
  });
});

describe('the step budget', () => {
  const parsed = (document: unknown) => {
    const result = parsePolicy(document);
    if (!result.ok) throw new Error(result.error);
    return result.policy;
  };

  it('turns an analysis beyond it into PolicyTooComplexError, and frees matching afterwards', () => {
    const policy = parsed(FAMILIES['accounts × repositories']?.(20));
    expect(() => analyzePolicy(policy, GIT, NO_TRUST, 100)).toThrow(PolicyTooComplexError);
    expect(analyzePolicy(policy, GIT, NO_TRUST).identity.state).toBe('open');
    expect(wildcardMatch('a*', 'abc')).toBe(true); // no meter left running
  });

  it('charges the innermost meter', () => {
    const outer = new Meter(1_000);
    const inner = new Meter(1_000);
    metered(outer, () => metered(inner, () => wildcardMatch('a*b', 'aab')));
    expect(inner.used).toBeGreaterThan(0);
    expect(outer.used).toBe(0);
    expect(() => metered(new Meter(0), () => wildcardMatch('a*b', 'aab'))).toThrow(PolicyTooComplexError);
  });

  // Expected before running: the 353-character policy of the report allows everyone onto one
  // repository of the endpoint's account (its Deny needs a name ending in b): identity open, resource closed.
  it('judges the backtracking policy of the report', () => {
    const view = viewPolicy(text(FAMILIES['nested wildcards']!(150)), GIT, NO_TRUST);
    expect(view.ok && [view.analysis.identity.state, view.analysis.resource.state]).toEqual(['open', 'closed']);
  });

  // Expected: an Allow for 250 foreign accounts onto 250 foreign repositories, nothing trusted: both perimeters open.
  it('judges 250 accounts and 250 repositories within the budget', () => {
    const view = viewPolicy(text(FAMILIES['accounts × repositories']!(250)), GIT, NO_TRUST);
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect([view.analysis.identity.state, view.analysis.resource.state]).toEqual(['open', 'open']);
    expect(view.analysis.steps).toBeLessThanOrEqual(DEFAULT_BUDGET);
  });

  it.each(Object.keys(FAMILIES))('%s at 20,480 characters: a verdict or "too complex", never more work', (name) => {
    const { text: document } = largest(FAMILIES[name]!);
    expect(document.length).toBeLessThanOrEqual(ENDPOINT_POLICY_LIMIT);
    const view = viewPolicy(document, GIT, NO_TRUST);
    if (view.ok) expect(view.analysis.steps).toBeLessThanOrEqual(DEFAULT_BUDGET);
    else expect(view).toMatchObject({ kind: 'too-complex', error: expect.stringMatching(/too complex to analyse/) });
  });

  it('1,000 statements: a verdict or "too complex"', () => {
    const view = viewPolicy(text(FAMILIES.statements!(1_000)), GIT, NO_TRUST);
    expect(view.ok || view.kind === 'too-complex').toBe(true);
  });

  it('random hostile policies: a verdict or "too complex", never an exception', () => {
    fc.assert(
      fc.property(hostilePolicy, (policy) => {
        const view = viewPolicy(text(policy), GIT, NO_TRUST);
        if (view.ok) expect(view.analysis.steps).toBeLessThanOrEqual(DEFAULT_BUDGET);
        else expect(view.kind).not.toBe('invalid');
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 8) },
    );
  });
});

describe('a policy beyond the budget in a scan', () => {
  it('is ERROR "too complex" for CCE.6-CCE.9 on that endpoint, with a remediation, and the other checks still judge it', () => {
    const inventory = withPolicy(largest(FAMILIES['account principals × ARN patterns']!).text, { fips: true });
    const findings = evaluate(
      [inventory],
      parseParams({ checks: 'CCE.1,CCE.6,CCE.7,CCE.8,CCE.9' }, CHECK_IDS),
      CATALOGUE,
    );
    for (const check of ['CCE.6', 'CCE.7', 'CCE.8', 'CCE.9'] as const) {
      const finding = only(
        findings.filter((f) => f.checkId === check),
        'vpce-1',
      );
      expect(finding).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/too complex to analyse/) });
      expect(finding.remediation).toMatch(/simplify it/);
      expect(finding.fix).toBeUndefined();
    }
    expect(only(findings, 'vpc-1').status).toBe('PASSED');
  });
});
