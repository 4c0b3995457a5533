/**
 * Real policies (AWS's CodeCommit and data-perimeter examples, endpoint policies from public
 * code) judged by CCE.6–CCE.9, against the verdicts written down for each before the tool ran,
 * and every fix the tool offers applied and judged again.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { evaluate } from '../../functions/core/engine';
import { severityRank, type Finding } from '../../functions/core/finding';
import type { ScopeInventory, VpcEndpoint } from '../../functions/core/inventory';
import { parseParams } from '../../functions/core/params';
import { endpoint, scope, svc, vpc } from '../fixtures/builders';
import { PUBLIC_POLICIES, REAL_POLICIES, type RealPolicy } from '../fixtures/real-policies';

const VPC = 'vpc-0123456789abcdef0';
const GIT = 'vpce-0123456789abcdef0';
const API = 'vpce-0123456789abcdef1';
const POLICY_CHECKS = ['CCE.6', 'CCE.7', 'CCE.8', 'CCE.9'] as const;

function inventory(entry: RealPolicy, documents: { git?: unknown; api?: unknown } = {}): ScopeInventory {
  const text = (policy: unknown): Partial<VpcEndpoint> =>
    policy === undefined ? {} : { PolicyDocument: JSON.stringify(policy) };
  const endpoints: VpcEndpoint[] = [];
  if (entry.endpoint !== 'api') {
    endpoints.push(endpoint(GIT, VPC, svc('us-east-2', 'git-codecommit'), text(documents.git ?? entry.policy)));
  }
  if (entry.endpoint !== 'git') {
    endpoints.push(endpoint(API, VPC, svc('us-east-2', 'codecommit'), text(documents.api ?? entry.policy)));
  }
  return {
    ...scope('us-east-2', {
      vpcs: [vpc(VPC, entry.fips ? { tags: { 'codecommit-audit:fips': 'required' } } : {})],
      vpcEndpoints: endpoints,
    }),
    accountId: entry.account ?? '123456789012',
  };
}

function judge(entry: RealPolicy, documents?: { git?: unknown; api?: unknown }): Finding[] {
  const params = parseParams({ ...entry.params, checks: POLICY_CHECKS.join(',') }, CHECK_IDS);
  return evaluate([inventory(entry, documents)], params, CATALOGUE);
}

function verdictOf(f: Finding): string {
  return f.status === 'FAILED' ? `FAILED ${f.severity}` : f.status;
}

function on(findings: Finding[], resourceId: string): Map<string, Finding> {
  return new Map(findings.filter((f) => f.resourceId === resourceId).map((f) => [f.checkId, f]));
}

function badness(f: Finding): number {
  if (f.status === 'ERROR') return 100;
  return f.status === 'FAILED' ? 1 + severityRank(f.severity) : 0;
}

const ALL = [...REAL_POLICIES, ...PUBLIC_POLICIES];

describe('real policies: verdicts written before the tool ran', () => {
  it('has the corpus the issue asks for: AWS examples and at least ten policies from public code', () => {
    expect(REAL_POLICIES.filter((p) => /User Guide/.test(p.source)).length).toBeGreaterThanOrEqual(8);
    expect(ALL.filter((p) => /data-perimeter-policy-examples/.test(p.source)).length).toBeGreaterThanOrEqual(4);
    expect(
      ALL.filter((p) => !/User Guide|data-perimeter-policy-examples|PrivateLink/.test(p.source)).length,
    ).toBeGreaterThanOrEqual(10);
  });

  it.each(ALL.map((p) => [p.name, p] as const))('%s', (_name, entry) => {
    const findings = judge(entry);
    const judged = entry.endpoint === 'api' ? on(findings, API) : on(findings, GIT);
    const got = Object.fromEntries(Object.keys(entry.expect).map((id) => [id, verdictOf(judged.get(id as never)!)]));
    expect(got, entry.why).toEqual(entry.expect);
    if (entry.expectApi) {
      const api = on(findings, API);
      const gotApi = Object.fromEntries(
        Object.keys(entry.expectApi).map((id) => [id, verdictOf(api.get(id as never)!)]),
      );
      expect(gotApi, entry.why).toEqual(entry.expectApi);
    }
    for (const [id, text] of Object.entries(entry.says ?? {})) expect(judged.get(id as never)?.message).toContain(text);
    // Every FAILED or ERROR finding says what to do; none says there is nothing to do.
    for (const f of findings.filter((x) => x.status === 'FAILED' || x.status === 'ERROR')) {
      expect(f.remediation).not.toBe('No action needed.');
      expect(f.remediation.length).toBeGreaterThan(40);
    }
  });
});

describe('real policies: every fix offered is proven', () => {
  it.each(ALL.map((p) => [p.name, p] as const))('%s', (_name, entry) => {
    const before = judge(entry);
    for (const finding of before.filter((f) => f.fix)) {
      const fixed = finding.fix?.policyDocument as string;
      const policy: unknown = JSON.parse(fixed);
      const documents = finding.resourceId === GIT ? { git: policy } : { api: policy };
      // A policy shared by both endpoints is fixed on both, as the remediation means.
      const shared = entry.endpoint === 'both' ? { git: policy, api: policy } : documents;
      const after = on(judge(entry, shared), finding.resourceId);
      const was = on(before, finding.resourceId);
      expect(after.get(finding.checkId)?.status, `${finding.checkId} fix: ${fixed}`).toMatch(
        /^(PASSED|NOT_APPLICABLE)$/,
      );
      for (const id of POLICY_CHECKS) {
        expect(badness(after.get(id)!), `${finding.checkId} fix made ${id} worse`).toBeLessThanOrEqual(
          badness(was.get(id)!),
        );
      }
      expect(finding.remediation).toContain('--policy-document');
    }
  });

  it('keeps every statement a perimeter fix does not have to change', () => {
    const entry = ALL.find((p) => p.name.startsWith('user guide example 4'))!;
    const identity = on(judge(entry), GIT).get('CCE.6');
    const fixed = JSON.parse(identity?.fix?.policyDocument ?? '{}') as { Statement: unknown[] };
    const original = (entry.policy as { Statement: unknown[] }).Statement;
    expect(fixed.Statement.slice(0, original.length)).toEqual(original);
    expect(fixed.Statement).toHaveLength(original.length + 1);
  });
});
