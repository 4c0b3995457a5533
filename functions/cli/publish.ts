/** `--publish securityhub,sns` for live scans, with the CLI's own credentials. */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import type { Params } from '../core/params';
import { clientConfig } from '../aws/clients';
import type { CallCounter } from '../aws/call-counter';
import { publishScan, type PublishTargets } from '../publish/index';
import type { CliOptions } from './args';
import type { CliIo, ScanOutcome } from './main';

export async function publishFindings(
  options: CliOptions,
  params: Params,
  scopes: ScopeInventory[],
  findings: Finding[],
  context: { profile: string | undefined; counter: CallCounter },
  io: CliIo,
): Promise<ScanOutcome['incomplete']> {
  const targets: PublishTargets = {};
  if (options.publish.includes('securityhub')) {
    const clients = new Map<string, SecurityHubClient>();
    targets.securityHub = (_accountId, region) => {
      let client = clients.get(region);
      if (!client)
        clients.set(region, (client = new SecurityHubClient(clientConfig({ region, profile: context.profile }))));
      return client;
    };
  }
  if (options.publish.includes('sns') && options.topicArn) {
    const region = options.topicArn.split(':')[3];
    targets.sns = {
      client: new SNSClient(clientConfig({ region, profile: context.profile })),
      topicArn: options.topicArn,
    };
  }
  const report = await publishScan(scopes, findings, targets, {
    now: new Date().toISOString(),
    checksRun: params.checks,
    reportPassed: options.reportPassed,
    counter: context.counter,
  });
  for (const scope of report.scopes) {
    const hub = scope.securityHub;
    const hubText = hub
      ? hub.enabled
        ? `Security Hub: ${hub.imported} imported, ${hub.archived} archived`
        : `Security Hub not available (${hub.unavailable?.code ?? ''})`
      : '';
    io.stderr(
      `published ${scope.accountId} ${scope.region}: ${[hubText, `${scope.alerts} alert(s)`].filter(Boolean).join('; ')}\n`,
    );
  }
  for (const failure of report.failures) io.stderr(`publish failed: ${failure}\n`);
  return report.failures.length > 0
    ? [
        {
          accountId: '*',
          region: '*',
          reason: `${report.failures.length} finding(s) or alert(s) could not be published`,
        },
      ]
    : [];
}
