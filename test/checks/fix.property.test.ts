/**
 * Fixes never make things worse, on generated policies: for every FAILED policy finding that
 * carries a fix, applying the fix (to both endpoints when one policy is shared) and judging
 * again passes that check and worsens no other CCE.6–CCE.9 verdict. `npm test` runs a few
 * hundred policies; `npm run test:fixes` runs 10,000 (FIX_RUNS) and prints the figures.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { evaluate } from '../../functions/core/engine';
import { severityRank, type Finding } from '../../functions/core/finding';
import type { ScopeInventory } from '../../functions/core/inventory';
import { parseParams } from '../../functions/core/params';
import { endpoint, scope, svc, vpc } from '../fixtures/builders';

const RUNS = Number(process.env.FIX_RUNS ?? 300);
const ORG = 'o-a1b2c3d4e5';
const POLICY_CHECKS = 'CCE.6,CCE.7,CCE.8,CCE.9';

const principal = fc.constantFrom<unknown>(
  '*',
  { AWS: '*' },
  { AWS: '123456789012' },
  { AWS: 'arn:aws:iam::123456789012:role/ci' },
  { AWS: 'arn:aws:iam::444455556666:root' },
  { AWS: ['111122223333', 'arn:aws:iam::123456789012:root'] },
  { Service: 'codebuild.amazonaws.com' },
);
const action = fc.constantFrom(
  '*',
  'codecommit:*',
  'codecommit:Git*',
  'codecommit:GitPush',
  'codecommit:GitPull',
  'codecommit:GetRepository',
  'codecommit:PutFile',
  'codecommit:List*',
  'codecommit:ListRepositories',
  'codecommit:GitPushh',
  'codecommit:DeleteRepositoy',
  's3:GetObject',
  'ecr:*',
);
const resource = fc.constantFrom(
  '*',
  'arn:aws:codecommit:us-east-2:123456789012:*',
  'arn:aws:codecommit:us-east-2:*:*',
  'arn:aws:codecommit:us-east-2:123456789012:MyDemoRepo',
  'arn:aws:codecommit:us-west-2:123456789012:MyDemoRepo',
  'arn:aws:codecommit:us-east-2:444455556666:repo',
  'arn:aws:s3:::bucket/*',
  'MyDemoRepo',
);
const condition = fc.constantFrom<unknown>(
  undefined,
  { StringEquals: { 'aws:PrincipalOrgID': ORG } },
  { StringEquals: { 'aws:PrincipalOrgID': ORG, 'aws:ResourceOrgID': ORG } },
  { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
  { StringNotEqualsIfExists: { 'aws:ResourceOrgID': ORG } },
  { StringEquals: { 'aws:PrincipalOrgID': ORG, 'aws:PrincipalTag/dp:exclude:resource': 'true' } },
  { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG, 'aws:PrincipalTag/dp:exclude:identity': 'true' } },
  { StringEquals: { 'aws:ResourceAccount': '123456789012' } },
  { StringEquals: { 'aws:PrincipalAccount': ['123456789012', '111122223333'] } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } },
  { StringEquals: { 'aws:SourceVpce': 'vpce-git' } },
  { StringEquals: { 'aws:SourceVpc': 'vpc-other' } },
  { StringEquals: { 'aws:ResourceTag/team': 'a' } },
  { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/*` } },
);
const statement = fc
  .record({
    Sid: fc.constantFrom(undefined, 'A', 'B', 'EnforceIdentityPerimeter'),
    Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    Principal: principal,
    Action: fc.array(action, { minLength: 1, maxLength: 3 }),
    Resource: fc.array(resource, { minLength: 1, maxLength: 2 }),
    Condition: condition,
  })
  .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));

const caseArb = fc.record({
  statements: fc.array(statement, { minLength: 1, maxLength: 4 }),
  asObject: fc.boolean(),
  noPolicy: fc.constantFrom(false, false, false, false, true),
  endpoints: fc.constantFrom('git', 'api', 'both'),
  fips: fc.boolean(),
  params: fc.record({
    trustedAccounts: fc.constantFrom('', '111122223333'),
    trustedOrgIds: fc.constantFrom('', ORG, 'o-zzzzzzzzzz'),
    perimeterExceptionTags: fc.constantFrom('', 'dp:exclude:resource'),
  }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function documentOf(c: Case): string | undefined {
  if (c.noPolicy) return undefined;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: c.asObject && c.statements.length === 1 ? c.statements[0] : c.statements,
  });
}

function inventory(c: Case, git: string | undefined, api: string | undefined): ScopeInventory {
  const doc = (d: string | undefined) => (d === undefined ? {} : { PolicyDocument: d });
  return scope('us-east-2', {
    vpcs: [vpc('vpc-1', c.fips ? { tags: { 'codecommit-audit:fips': 'required' } } : {})],
    vpcEndpoints: [
      ...(c.endpoints !== 'api' ? [endpoint('vpce-git', 'vpc-1', svc('us-east-2', 'git-codecommit'), doc(git))] : []),
      ...(c.endpoints !== 'git' ? [endpoint('vpce-api', 'vpc-1', svc('us-east-2', 'codecommit'), doc(api))] : []),
    ],
  });
}

function judge(c: Case, git: string | undefined, api: string | undefined): Finding[] {
  return evaluate([inventory(c, git, api)], parseParams({ ...c.params, checks: POLICY_CHECKS }, CHECK_IDS), CATALOGUE);
}

const badness = (f: Finding | undefined): number =>
  !f ? 0 : f.status === 'ERROR' ? 100 : f.status === 'FAILED' ? 1 + severityRank(f.severity) : 0;

const figures = {
  policies: 0,
  failed: 0,
  fixes: 0,
  /** CCE.9 findings without a fix because no statement would be left. */
  nothingLeft: 0,
  byCheck: {} as Record<string, { failed: number; fixed: number }>,
};

describe('fixes on generated policies', () => {
  it(`pass their check and worsen nothing (${RUNS} policies)`, () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const document = documentOf(c);
        const before = judge(c, document, document);
        figures.policies++;
        for (const f of before.filter((x) => x.status === 'FAILED')) {
          const tally = (figures.byCheck[f.checkId] ??= { failed: 0, fixed: 0 });
          tally.failed++;
          figures.failed++;
          expect(f.remediation.length).toBeGreaterThan(30);
          if (!f.fix) {
            if (/^No statement of this policy ever applies here/.test(f.remediation)) figures.nothingLeft++;
            continue;
          }
          tally.fixed++;
          figures.fixes++;
          const fixed = f.fix.policyDocument;
          // A shared policy is fixed on both endpoints; otherwise only on the finding's.
          const git = c.endpoints === 'both' || f.resourceId === 'vpce-git' ? fixed : document;
          const api = c.endpoints === 'both' || f.resourceId === 'vpce-api' ? fixed : document;
          const after = judge(c, git, api).filter((x) => x.resourceId === f.resourceId);
          const was = before.filter((x) => x.resourceId === f.resourceId);
          expect(after.find((x) => x.checkId === f.checkId)?.status, fixed).toMatch(/^(PASSED|NOT_APPLICABLE)$/);
          for (const x of after) {
            expect(badness(x), `${f.checkId} fix made ${x.checkId} worse: ${fixed}`).toBeLessThanOrEqual(
              badness(was.find((w) => w.checkId === x.checkId)),
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  afterAll(() => {
    if (process.env.FIX_RUNS) console.log(`fix property: ${JSON.stringify(figures)}`);
  });
});
