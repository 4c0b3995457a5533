import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../functions/core/cidr';
import type { Finding, Severity, Status } from '../../functions/core/finding';
import type { ScopeInventory } from '../../functions/core/inventory';
import { DEFAULT_POLICY_TEXT } from '../../functions/policy/index';
import {
  endpointPolicyLookup,
  FIRST_PAGE_ROWS,
  formatParam,
  GRID_MAX_ACCOUNTS,
  lineDiff,
  policyDiff,
  renderHtmlReport,
} from '../../functions/publish/html-report';
import type { ReportMeta } from '../../functions/publish/report-meta';
import { endpoint, scope } from '../fixtures/builders';

const ACCOUNT = '123456789012';
const META: ReportMeta = {
  scannedAt: '2026-11-27T09:30:00.000Z',
  toolVersion: '0.1.0',
  accounts: [ACCOUNT],
  regions: ['eu-west-1', 'us-east-2'],
  params: { fipsRequired: 'tagged', trustedAccounts: [] },
};

function finding(
  resourceId: string,
  status: Status,
  severity: Severity = 'MEDIUM',
  extra: Partial<Finding> = {},
): Finding {
  return {
    checkId: 'CCE.1',
    title: 'VPC has no interface endpoint for CodeCommit Git',
    status,
    severity,
    accountId: ACCOUNT,
    region: 'us-east-2',
    resourceType: 'AWS::EC2::VPC',
    resourceId,
    resourceArn: `arn:aws:ec2:us-east-2:${ACCOUNT}:vpc/${resourceId}`,
    vpcId: resourceId,
    message: `VPC ${resourceId} has no Git endpoint.`,
    remediation: 'aws ec2 create-vpc-endpoint …',
    ...extra,
  };
}

const DATA_BLOCK = /<script type="application\/json" id="report-(head|data)">([^<]*)<\/script>/g;

interface EmbeddedData {
  total: number;
  rows: unknown[][];
  columns: Record<string, string[]>;
}

/** The page's embedded data, read back as the browser reads it: the first page, then the others. */
function embeddedData(html: string): EmbeddedData {
  const blocks = Object.fromEntries([...html.matchAll(DATA_BLOCK)].map((m) => [m[1], m[2]]));
  if (blocks.head === undefined || blocks.data === undefined) throw new Error('no report data in the page');
  const head = JSON.parse(blocks.head) as EmbeddedData;
  return { ...head, rows: [...head.rows, ...(JSON.parse(blocks.data) as unknown[][])] };
}

/** The page without its embedded data: what the browser shows before (or without) the script. */
function markup(html: string): string {
  return html.replace(DATA_BLOCK, '');
}

function summaryCounts(html: string): Record<string, number> {
  return Object.fromEntries(
    [...html.matchAll(/data-summary-status="(\w+)">([\d,]+)</g)].map((m) => [m[1], Number(m[2]?.replace(/,/g, ''))]),
  );
}

const MIXED: Finding[] = [
  finding('vpc-1', 'FAILED', 'HIGH'),
  finding('vpc-2', 'FAILED', 'LOW', { region: 'eu-west-1' }),
  finding('vpc-3', 'FAILED', 'HIGH', {
    checkId: 'CCE.2',
    title: 'VPC has no interface endpoint for the CodeCommit API',
  }),
  finding('vpc-4', 'PASSED'),
  finding('vpc-5', 'PASSED', 'LOW'),
  finding('vpc-6', 'NOT_APPLICABLE'),
  finding('vpc-7', 'ERROR', 'MEDIUM', { region: 'eu-west-1' }),
];

describe('renderHtmlReport', () => {
  describe('escaping', () => {
    const HOSTILE = '</script><img src=x onerror="alert(1)"><!-- <script>alert(2)</script>';

    it('keeps hostile text in findings and parameters inert: no tag or script break-out, text kept exactly', () => {
      const hostile = finding('vpc-1', 'FAILED', 'HIGH', {
        message: HOSTILE,
        remediation: HOSTILE,
        title: HOSTILE,
        resourceId: '<img src=y onerror=alert(3)>',
        fix: { policyDocument: HOSTILE },
      });
      const meta = { ...META, toolVersion: HOSTILE, params: { [HOSTILE]: HOSTILE } };

      const html = renderHtmlReport([hostile], meta);

      expect(html).not.toMatch(/<img/i);
      expect(html).not.toMatch(/<!--/);
      // The only script elements are the page's own: two blocks of data and the inline script.
      expect(html.match(/<script/gi)).toHaveLength(3);
      expect(html.match(/<\/script>/gi)).toHaveLength(3);
      expect(markup(html)).toContain('&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
      const row = embeddedData(html).rows[0] ?? [];
      expect(row[7]).toBe('<img src=y onerror=alert(3)>');
      expect(row[10]).toBe(HOSTILE);
      expect(row[11]).toBe(HOSTILE);
      expect(row[12]).toBe(HOSTILE);
    });

    it('loads nothing from anywhere: no external resource, and a policy that forbids every request', () => {
      const html = renderHtmlReport(MIXED, META);
      const page = markup(html);

      expect(page).not.toMatch(/\b(src|href)\s*=/i);
      expect(page).not.toMatch(/<link|@import|url\(/i);
      expect(page.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/i);
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      // The page's own script and style are allowed by their hashes, nothing else.
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
      const hash = (text: string): string => createHash('sha256').update(text).digest('base64');
      expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
      expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    });
  });

  describe('data', () => {
    it('puts the first page of rows in a block of its own, read first, and every other row after it', () => {
      const findings = Array.from({ length: FIRST_PAGE_ROWS + 50 }, (_, i) =>
        finding(`vpc-${String(i).padStart(3, '0')}`, 'PASSED', 'LOW', {
          message: i === FIRST_PAGE_ROWS + 49 ? '</script><img src=x onerror=alert(1)>' : 'fine',
        }),
      );

      const html = renderHtmlReport(findings, META);

      const head = /id="report-head">([^<]*)</.exec(html)?.[1] ?? '';
      expect((JSON.parse(head) as { rows: unknown[]; total: number }).rows).toHaveLength(FIRST_PAGE_ROWS);
      expect((JSON.parse(head) as { rows: unknown[]; total: number }).total).toBe(FIRST_PAGE_ROWS + 50);
      expect(html.indexOf('id="report-head"')).toBeLessThan(html.indexOf('<script>'));
      expect(html.indexOf('<script>')).toBeLessThan(html.indexOf('id="report-data"'));
      const rows = embeddedData(html).rows;
      expect(rows.map((r) => r[7])).toEqual(findings.map((f) => f.resourceId));
      expect(rows.at(-1)?.[10]).toBe('</script><img src=x onerror=alert(1)>');
      expect(html).not.toMatch(/<img/i);
    });
  });

  describe('determinism', () => {
    it('gives the same bytes for the same findings, in any order', () => {
      const first = renderHtmlReport(MIXED, META);
      const again = renderHtmlReport(MIXED, META);
      const reversed = renderHtmlReport([...MIXED].reverse(), META);

      expect(again).toBe(first);
      expect(reversed).toBe(first);
    });

    it('orders the rows worst first: FAILED by severity, then ERROR, PASSED, NOT_APPLICABLE', () => {
      const data = embeddedData(renderHtmlReport(MIXED, META));

      const order = data.rows.map((r) => r[7]);

      expect(order).toEqual(['vpc-1', 'vpc-3', 'vpc-2', 'vpc-7', 'vpc-4', 'vpc-5', 'vpc-6']);
      expect(data.columns.status).toEqual(['FAILED', 'ERROR', 'PASSED', 'NOT_APPLICABLE']);
    });
  });

  describe('summary', () => {
    it('counts findings by status and by status and severity', () => {
      const html = renderHtmlReport(MIXED, META);

      expect(summaryCounts(html)).toEqual({ FAILED: 3, ERROR: 1, PASSED: 2, NOT_APPLICABLE: 1 });
      const cell = (status: string, severity: string): string | undefined =>
        new RegExp(`data-status="${status}" data-severity="${severity}">([\\d,]+)<`).exec(html)?.[1];
      expect(cell('FAILED', 'HIGH')).toBe('2');
      expect(cell('FAILED', 'LOW')).toBe('1');
      expect(cell('FAILED', 'MEDIUM')).toBe('0');
      expect(cell('PASSED', 'LOW')).toBe('1');
      expect(html).toContain('data-summary-total>7<');
    });

    it('shows the scope, the version and the parameters in the header', () => {
      const params = {
        trustedCidrs: [parseCidr('198.51.100.0/24')],
        requiredEndpoints: new Set(['git', 'api']),
        fipsTag: { key: 'codecommit-audit:fips', value: 'required' },
        trustedAccounts: [],
      };
      const html = renderHtmlReport(MIXED, { ...META, toolVersion: '9.8.7', params });

      expect(html).toContain('codecommit-endpoint-auditor 9.8.7');
      expect(html).toContain('2026-11-27 09:30:00 UTC');
      expect(html).toContain('<code>eu-west-1</code>, <code>us-east-2</code>');
      expect(html).toContain('<dt><code>trustedCidrs</code></dt><dd>198.51.100.0/24</dd>');
      expect(html).toContain('<dt><code>requiredEndpoints</code></dt><dd>git, api</dd>');
      expect(html).toContain('<dt><code>fipsTag</code></dt><dd>codecommit-audit:fips=required</dd>');
      expect(html).toContain('<dt><code>trustedAccounts</code></dt><dd>(empty)</dd>');
    });

    it('draws FAILED findings per check and per region, with the counts in words', () => {
      const html = renderHtmlReport(MIXED, META);

      expect(html).toContain('<desc id="chart-check-desc">CCE.1: 2 (HIGH 1, LOW 1); CCE.2: 1 (HIGH 1)</desc>');
      expect(html).toContain('<desc id="chart-region-desc">eu-west-1: 1 (LOW 1); us-east-2: 2 (HIGH 2)</desc>');
    });

    it('colours the grid by the worst status of each account-region and says it in words', () => {
      const html = renderHtmlReport([finding('vpc-7', 'ERROR', 'MEDIUM', { region: 'eu-west-1' })], META);

      expect(html).toMatch(/class="cell st-ERROR" data-account="123456789012" data-region="eu-west-1"[^>]*>.*1 ERROR/);
      expect(html).toMatch(/<td class="none">no findings<\/td>/);
    });

    it('shows at most GRID_MAX_ACCOUNTS accounts, those with the most FAILED findings, and says so', () => {
      const accounts = Array.from({ length: GRID_MAX_ACCOUNTS + 5 }, (_, i) => String(100000000000 + i));
      const findings = accounts.map((accountId, i) =>
        finding(`vpc-${i}`, i < 3 ? 'PASSED' : 'FAILED', 'LOW', { accountId }),
      );

      const html = renderHtmlReport(findings, { ...META, accounts });

      const rows = [...html.matchAll(/<tr><th scope="row"><code>(\d+)<\/code>/g)].map((m) => m[1]);
      expect(rows).toHaveLength(GRID_MAX_ACCOUNTS);
      expect(rows).not.toContain(accounts[0]);
      expect(html).toContain(`The ${GRID_MAX_ACCOUNTS} accounts with the most FAILED findings of ${accounts.length}`);
    });
  });

  describe('empty findings', () => {
    it('renders a complete page that says there is nothing', () => {
      const html = renderHtmlReport([], META);

      expect(summaryCounts(html)).toEqual({ FAILED: 0, ERROR: 0, PASSED: 0, NOT_APPLICABLE: 0 });
      expect(html).toContain('<p>No FAILED findings.</p>');
      expect(html.match(/<td class="none">no findings<\/td>/g)).toHaveLength(2);
      expect(embeddedData(html).rows).toEqual([]);
      expect(html).toContain('0 findings in 1 account and 2 regions');
    });
  });

  describe('proposed fixes', () => {
    const BEFORE = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';
    const AFTER =
      '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"codecommit:GitPush","Resource":"*"}]}';
    const policyFinding = finding('vpce-1', 'FAILED', 'HIGH', {
      checkId: 'CCE.8',
      resourceType: 'AWS::EC2::VPCEndpoint',
      fix: { policyDocument: AFTER },
    });

    it('shows the whole proposed policy, pretty-printed, when the policy in force is not known', () => {
      const row = embeddedData(renderHtmlReport([policyFinding], META)).rows[0] ?? [];

      expect(row.slice(12)).toEqual([JSON.stringify(JSON.parse(AFTER), null, 2), 0]);
    });

    it('shows a line diff against the policy in force when it is known', () => {
      const row = embeddedData(renderHtmlReport([policyFinding], META, () => BEFORE)).rows[0] ?? [];

      expect(row[13]).toBe(1);
      expect(String(row[12]).split('\n')).toEqual([
        '  {',
        '    "Statement": [',
        '      {',
        '        "Effect": "Allow",',
        '        "Principal": "*",',
        '        "Action": "*",',
        '        "Resource": "*"',
        '+     },',
        '+     {',
        '+       "Effect": "Deny",',
        '+       "Principal": "*",',
        '+       "Action": "codecommit:GitPush",',
        '+       "Resource": "*"',
        '      }',
        '    ]',
        '  }',
      ]);
    });

    it('diffs lines by their longest common subsequence', () => {
      expect(lineDiff(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])).toEqual(['  a', '- b', '  c', '+ x', '  d']);
      expect(lineDiff([], ['a'])).toEqual(['+ a']);
      expect(lineDiff(['a'], [])).toEqual(['- a']);
      expect(policyDiff('not json', 'not json')).toBe('  not json');
    });

    it("finds an endpoint's policy in the inventory, AWS's default full access when it has none", () => {
      const scopes: ScopeInventory[] = [
        scope('us-east-2', {
          vpcEndpoints: [
            endpoint('vpce-1', 'vpc-1', 'com.amazonaws.us-east-2.git-codecommit', { PolicyDocument: undefined }),
            endpoint('vpce-2', 'vpc-1', 'com.amazonaws.us-east-2.codecommit', { PolicyDocument: { Statement: [] } }),
          ],
        }),
      ];
      const lookup = endpointPolicyLookup(scopes);

      expect(lookup(policyFinding)).toBe(DEFAULT_POLICY_TEXT);
      expect(lookup({ ...policyFinding, resourceId: 'vpce-2' })).toBe('{"Statement":[]}');
      expect(lookup({ ...policyFinding, region: 'eu-west-1' })).toBeUndefined();
      expect(lookup(finding('vpc-1', 'FAILED'))).toBeUndefined();
    });
  });

  describe('formatParam', () => {
    it('writes values as a person writes them', () => {
      expect(formatParam('')).toBe('(empty)');
      expect(formatParam(new Set())).toBe('(empty)');
      expect(formatParam(['CCE.1', 'CCE.2'])).toBe('CCE.1, CCE.2');
      expect(formatParam(true)).toBe('true');
      expect(formatParam(24)).toBe('24');
      expect(formatParam([parseCidr('2001:db8::/32')])).toBe('2001:db8::/32');
      expect(formatParam({ nested: { a: 1 } })).toBe('{"nested":{"a":1}}');
    });
  });
});
