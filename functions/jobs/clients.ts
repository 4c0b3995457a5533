/** The SDK clients a scan task uses in a member account (created once per container, per region). */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { clientFactory } from '../aws/clients';
import type { TopicArn } from '../core/lists';
import type { ScanClients } from './scan-scope';

export function memberScanClients(topic: TopicArn | undefined): ScanClients {
  return {
    ec2: clientFactory(EC2Client),
    iam: clientFactory(IAMClient),
    cloudTrail: clientFactory(CloudTrailClient),
    securityHub: clientFactory(SecurityHubClient),
    sns: topic && { client: clientFactory(SNSClient)(topic.region), topicArn: topic.arn },
  };
}
