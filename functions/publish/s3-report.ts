/**
 * Scan reports in S3 (publish/scan-report): each object encrypted with S3-managed keys (SSE-S3),
 * and written only to a bucket of the expected account, so that a bucket deleted and re-created
 * in another account never receives a report.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReportStore } from './scan-report';

export interface S3ReportBucket {
  client: S3Client;
  bucket: string;
  /** The bucket's region. */
  region: string;
  /** The account that must own the bucket; S3 refuses the write to a bucket of any other. */
  owner?: string | undefined;
}

export function s3ReportStore(target: S3ReportBucket): ReportStore {
  return {
    bucket: target.bucket,
    region: target.region,
    put: async (key, body, contentType, counter) => {
      counter?.add('PutObject');
      await target.client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ServerSideEncryption: 'AES256',
          ...(target.owner ? { ExpectedBucketOwner: target.owner } : {}),
        }),
      );
    },
  };
}
