/** The SDK clients a scan task uses in a member account (created once per container, per region). */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { clientFactory, makeClient } from '../aws/clients';
import { s3ReportStore } from '../publish/s3-report';
import type { ScanClients } from './scan-scope';
import type { WorkerSettings } from './settings';

/**
 * A report is written before the findings are published, in the same time: its two objects get
 * a short budget (S3 answers in well under a second), so a slow S3 never holds up Security Hub.
 */
const REPORT_TIMEOUTS = { callMs: 20_000 };
const REPORT_ATTEMPTS = 3;

/** The clients of a worker running in `region`: the report bucket is in the auditor's own account and region. */
export function memberScanClients(settings: Pick<WorkerSettings, 'topic' | 'reports'>, region: string): ScanClients {
  const { topic, reports } = settings;
  return {
    ec2: clientFactory(EC2Client),
    iam: clientFactory(IAMClient),
    cloudTrail: clientFactory(CloudTrailClient),
    securityHub: clientFactory(SecurityHubClient),
    sns: topic && { client: clientFactory(SNSClient)(topic.region), topicArn: topic.arn },
    reports:
      reports &&
      s3ReportStore({
        client: makeClient(S3Client, { region, timeouts: REPORT_TIMEOUTS, maxAttempts: REPORT_ATTEMPTS }),
        bucket: reports.bucket,
        region,
        owner: reports.owner,
      }),
  };
}
