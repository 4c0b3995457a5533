/**
 * The traffic function's verdict on one event without AWS: what it would publish (status,
 * caller, source address, the finding), for `npm run invoke -- traffic EVENT.json --dry-run`.
 * Parameters come from AUDIT_PARAMETERS, as in the deployed function.
 */
import { CATALOGUE, CHECK_IDS } from '../checks/index';
import { parseParams, parseParamsJson } from '../core/params';
import { judgeTrafficEvent, parseTrafficEvent } from './traffic';

export function previewTrafficEvent(event: unknown): Promise<unknown> {
  const text = process.env.AUDIT_PARAMETERS ?? '';
  const params = text ? parseParamsJson(text, 'AUDIT_PARAMETERS', CHECK_IDS) : parseParams({}, CHECK_IDS);
  const judged = judgeTrafficEvent(parseTrafficEvent(event), params, CATALOGUE);
  const publishes = judged.route === 'outside' && judged.finding !== undefined;
  return Promise.resolve({
    dryRun: true,
    route: judged.route,
    status: judged.finding?.status ?? 'NOT_APPLICABLE',
    severity: judged.finding?.status === 'FAILED' ? judged.finding.severity : undefined,
    principal: judged.principal?.arn ?? null,
    sourceIPAddress: judged.record.sourceIPAddress,
    eventName: judged.record.eventName,
    wouldPublish: publishes
      ? 'this finding to the Security Hub of the account, counts added to its current ones, and an alert if it is new or more severe'
      : 'nothing: only requests from outside your endpoints and networks change a finding (scans judge the rest)',
    finding: judged.finding ?? null,
  });
}
