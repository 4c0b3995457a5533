/**
 * A scan's report of one account-region, kept in a bucket: the HTML report and the CSV of exactly
 * that account-region's findings, as the CLI writes them with --format html,csv. Keys:
 * `scans/SCAN/ACCOUNT-REGION.html` and `.csv`; the CloudTrail checks of a task continued on the
 * queue (CCE.14) report under `ACCOUNT-REGION-cloudtrail`, beside the first part. The store that
 * holds the objects (S3: publish/s3-report) is given, so that only the worker bundles its client.
 */
import type { CallCounter } from '../core/call-counter';
import type { Finding } from '../core/finding';
import { awsErrorInfo } from '../core/service-errors';
import { formatCsv } from './csv';
import { renderHtmlReport } from './html-report';
import { reportLink, type ReportLink } from './links';
import type { ReportMeta } from './report-meta';

export const REPORT_PREFIX = 'scans/';
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/** Where reports are kept: a bucket, and how to put one object into it. */
export interface ReportStore {
  bucket: string;
  /** The bucket's region (the console link names it). */
  region: string;
  put(key: string, body: string, contentType: string, counter?: CallCounter): Promise<void>;
}

export interface ReportPlace {
  scanId: string;
  accountId: string;
  region: string;
  /** `cloudtrail`: the CloudTrail checks of a continued task, reported beside the rest of the scan. */
  part?: 'cloudtrail' | undefined;
}

export type ReportOutcome =
  { written: true; link: ReportLink } | { written: false; bucket: string; key: string; code: string; message: string };

/** A scan id as one key segment: characters that need encoding in a URL become `-`, and never `.` or `..`. */
function keySegment(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9._-]/g, '-');
  return /^\.*$/.test(safe) ? safe.replace(/\./g, '-') || '-' : safe;
}

export function reportKeys(place: ReportPlace): { html: string; csv: string } {
  const part = place.part ? `-${place.part}` : '';
  const base = `${REPORT_PREFIX}${keySegment(place.scanId)}/${place.accountId}-${place.region}${part}`;
  return { html: `${base}.html`, csv: `${base}.csv` };
}

export interface ReportContent {
  findings: readonly Finding[];
  meta: ReportMeta;
  /** The policy in force for an endpoint finding (the HTML report shows a fix as a diff against it). */
  original?: ((f: Finding) => string | undefined) | undefined;
}

/**
 * Write the HTML and CSV report; resolves with their links once both are stored, rejects with the
 * first failure otherwise (each object is written either way: one failing never stops the other).
 */
export async function writeReport(
  store: ReportStore,
  place: ReportPlace,
  content: ReportContent,
  counter?: CallCounter,
): Promise<ReportLink> {
  const keys = reportKeys(place);
  const results = await Promise.allSettled([
    store.put(
      keys.html,
      renderHtmlReport(content.findings, content.meta, content.original),
      HTML_CONTENT_TYPE,
      counter,
    ),
    store.put(keys.csv, formatCsv(content.findings), CSV_CONTENT_TYPE, counter),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return reportLink(store.bucket, store.region, keys.html, keys.csv);
}

/** The outcome of a report that could not be written (the scan's findings are published all the same). */
export function reportNotWritten(
  store: Pick<ReportStore, 'bucket'>,
  place: ReportPlace,
  error: unknown,
): ReportOutcome {
  const { code, message } = awsErrorInfo(error);
  return { written: false, bucket: store.bucket, key: reportKeys(place).html, code, message };
}
