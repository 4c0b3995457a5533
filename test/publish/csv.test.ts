import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/main';
import type { Finding } from '../../functions/core/finding';
import { CSV_COLUMNS, formatCsv, neutralizeCell } from '../../functions/publish/csv';

/**
 * A strict RFC 4180 reader: records end with CRLF, fields are separated by commas, a quoted
 * field doubles its quotes and may hold commas and line breaks, an unquoted one holds no quote,
 * CR or LF. Anything else throws, so a writer that bends the format fails the test.
 */
function parseRfc4180(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not RFC 4180 at offset ${i}: ${why}`);
  };
  while (i < text.length) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else value += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('quote in an unquoted field');
        value += text[i++];
      }
    }
    record.push(value);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      i += 2;
      records.push(record);
      record = [];
    } else fail(i >= text.length ? 'last record without CRLF' : `unexpected ${JSON.stringify(text[i])} after a field`);
  }
  return records;
}

/** What a program reading the file does: drop the one leading `'` the writer adds. */
function readCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/** The findings a CSV file holds, read back into the JSON output's shape. */
function findingsFromCsv(text: string): Finding[] {
  const [header, ...rows] = parseRfc4180(text);
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((row) => {
    expect(row).toHaveLength(CSV_COLUMNS.length);
    const cells = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, readCell(row[i] ?? '')]));
    const { fixPolicyDocument, ...fields } = cells;
    return { ...fields, ...(fixPolicyDocument ? { fix: { policyDocument: fixPolicyDocument } } : {}) } as Finding;
  });
}

const BASE: Finding = {
  checkId: 'CCE.9',
  title: 'Endpoint policy has statements that can never apply',
  status: 'FAILED',
  severity: 'LOW',
  accountId: '123456789012',
  region: 'us-east-2',
  resourceType: 'AWS::EC2::VPCEndpoint',
  resourceId: 'vpce-0abc',
  resourceArn: 'arn:aws:ec2:us-east-2:123456789012:vpc-endpoint/vpce-0abc',
  vpcId: 'vpc-0abc',
  message: 'Statement "TypoPull" (Allow) never applies: codecommit:GitPulll names no real CodeCommit action.',
  remediation:
    'Remove the action.\naws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0abc --policy-document file://fixed.json',
  fix: {
    policyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"codecommit:GitPull","Resource":"*"}]}',
  },
};

async function scan(format: 'json' | 'csv'): Promise<string> {
  let stdout = '';
  const code = await runCli(['--demo', '--format', format], {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    env: {},
  });
  expect(code).toBe(0);
  return stdout;
}

describe('CSV output', () => {
  it('has a header row in the documented column order, CRLF after every row, every field quoted', () => {
    const text = formatCsv([BASE]);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      '"checkId","title","status","severity","accountId","region","resourceType","resourceId","resourceArn","vpcId","message","remediation","fixPolicyDocument"',
    );
    expect(text.endsWith('\r\n')).toBe(true);
    // The only bare LF is the one inside the remediation (a quoted field).
    expect(text.replaceAll('\r\n', '').split('\n')).toHaveLength(2);
    expect(text).toContain('"Statement ""TypoPull"" (Allow) never applies');
    expect(text).toContain('"{""Statement"":[{""Effect"":""Allow""');
  });

  it('writes only the header for no findings', () => {
    expect(parseRfc4180(formatCsv([]))).toEqual([[...CSV_COLUMNS]]);
  });

  it('keeps quotes, commas, semicolons, line breaks and Unicode inside their cell', () => {
    const tricky: Finding = {
      ...BASE,
      message: 'a "quoted", comma; semicolon\r\nCRLF and\nLF — ünïcödé 日本語 🚀',
      remediation: '',
      vpcId: ',',
    };
    const [, row] = parseRfc4180(formatCsv([tricky]));
    expect(row?.[CSV_COLUMNS.indexOf('message')]).toBe(tricky.message);
    expect(row?.[CSV_COLUMNS.indexOf('remediation')]).toBe('');
    expect(row?.[CSV_COLUMNS.indexOf('vpcId')]).toBe(',');
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+2', "'\t=1+2"],
    ['\r=1+2', "'\r=1+2"],
    ['\n=1+2', "'\n=1+2"],
    ['  =HYPERLINK("http://x")', '\'  =HYPERLINK("http://x")'],
    ['＝1+2', "'＝1+2"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
    ["'quoted", "''quoted"],
    ['a=b', 'a=b'],
    ['CCE.1', 'CCE.1'],
    ['', ''],
  ])('neutralizes a cell starting %j as %j', (value, cell) => {
    expect(neutralizeCell(value)).toBe(cell);
  });

  it("writes OWASP's examples as OWASP does", () => {
    const row = (message: string): string => formatCsv([{ ...BASE, message }]).split('\r\n')[1] ?? '';
    expect(row('=1+2";=1+2')).toContain(',"\'=1+2"";=1+2",');
    expect(row('=1+2\'" ;,=1+2')).toContain(',"\'=1+2\'"" ;,=1+2",');
  });

  it('round-trips a legitimate value that starts with - or a quote', () => {
    const findings = [
      { ...BASE, message: '- the statement "Deny" never applies' },
      { ...BASE, resourceId: "'odd'" },
    ];
    expect(findingsFromCsv(formatCsv(findings))).toEqual(findings);
  });

  it('parses back to the same findings as the JSON output of the demo scan', async () => {
    const json = JSON.parse(await scan('json')) as Finding[];
    const csv = await scan('csv');
    expect(json.length).toBeGreaterThan(100);
    expect(json.some((f) => f.fix)).toBe(true);
    expect(findingsFromCsv(csv)).toEqual(json);
  });

  it('round-trips any text, and no cell a spreadsheet reads starts a formula', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    const tricky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', ' ', '＝', '\r\n');
    const value = fc.oneof(
      text,
      fc.tuple(tricky, text).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(value, value, fc.option(value, { nil: undefined }), (message, resourceId, policy) => {
        const finding: Finding = { ...BASE, message, resourceId, fix: undefined };
        delete finding.fix;
        if (policy) finding.fix = { policyDocument: policy };
        const text = formatCsv([finding]);
        for (const cell of parseRfc4180(text).flat()) expect(cell).not.toMatch(/^(?:[\t\r\n\0]| *[=+\-@＝＋－＠])/);
        expect(findingsFromCsv(text)).toEqual([finding]);
      }),
      { numRuns: 500 },
    );
  });
});
