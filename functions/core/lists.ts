/**
 * The comma lists and identifiers every edge reads (CLI flags, deployment settings, parameters),
 * parsed once here so the CLI and the handlers accept exactly the same text.
 */
import type { AuditorError } from './errors';
import { isRegionCode } from './regions';

type ErrorClass = new (message: string) => AuditorError;

/** Split a comma list, trimming items and dropping empty ones, keeping the first of duplicates. */
export function commaList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  ];
}

/** `all` or a comma list of region codes; `name` is how the caller calls the value (flag or variable). */
export function parseRegionList(name: string, text: string, ErrorClass: ErrorClass): string[] | 'all' {
  if (text.trim().toLowerCase() === 'all') return 'all';
  const regions = commaList(text);
  if (regions.length === 0) throw new ErrorClass(`${name}: expected a comma list of region codes or "all"`);
  const bad = regions.find((region) => !isRegionCode(region));
  if (bad) throw new ErrorClass(`${name}: ${JSON.stringify(bad)} is not an AWS region code (e.g. us-east-2)`);
  return regions;
}

export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** A comma list of 12-digit account ids. */
export function parseAccountList(name: string, text: string, ErrorClass: ErrorClass): string[] {
  const accounts = commaList(text);
  const bad = accounts.find((account) => !isAccountId(account));
  if (bad) throw new ErrorClass(`${name}: ${JSON.stringify(bad)} is not a 12-digit account id`);
  return accounts;
}

export interface TopicArn {
  arn: string;
  region: string;
  accountId: string;
  fifo: boolean;
}

// Topic names: 1-256 of [A-Za-z0-9_-], a FIFO topic ending in `.fifo`.
const TOPIC_ARN = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,251}(\.fifo)?)$/;

/** An SNS topic ARN (standard or FIFO), or an error naming the value. */
export function parseTopicArn(name: string, text: string, ErrorClass: ErrorClass): TopicArn {
  const match = TOPIC_ARN.exec(text.trim());
  if (!match || !isRegionCode(match[2] ?? ''))
    throw new ErrorClass(`${name}: ${JSON.stringify(text)} is not an SNS topic ARN`);
  return { arn: match[0], region: match[2] ?? '', accountId: match[3] ?? '', fifo: match[5] !== undefined };
}

// S3's rules for general purpose bucket names; reserved prefixes and suffixes name other kinds of buckets and access points.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** The name of an S3 general purpose bucket, or an error naming the value and the rule it breaks. */
export function parseBucketName(name: string, text: string, ErrorClass: ErrorClass): string {
  const bucket = text.trim();
  const problem = !BUCKET_NAME.test(bucket)
    ? '3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit'
    : bucket.includes('..')
      ? 'no two dots in a row'
      : /^\d+\.\d+\.\d+\.\d+$/.test(bucket)
        ? 'not shaped like an IP address'
        : RESERVED_PREFIXES.some((prefix) => bucket.startsWith(prefix)) ||
            RESERVED_SUFFIXES.some((suffix) => bucket.endsWith(suffix))
          ? `none of the prefixes ${RESERVED_PREFIXES.join(' ')} nor the suffixes ${RESERVED_SUFFIXES.join(' ')}`
          : undefined;
  if (problem) throw new ErrorClass(`${name}: ${JSON.stringify(text)} is not an S3 bucket name (${problem})`);
  return bucket;
}
