/**
 * A small simulated organization through the scheduler and the worker: every account-region
 * is queued once and scanned once, at the floor of API calls. `npm run bench` runs the same
 * simulation at 1,000 accounts × 17 regions.
 */
import { describe, expect, it } from 'vitest';
import { SEVENTEEN_REGIONS, simulateOrganization } from '../fixtures/organization-sim';

describe('organization-scale scan', () => {
  it('accounts for every account × region of the organization', async () => {
    const run = await simulateOrganization(21, SEVENTEEN_REGIONS); // 21 listed, 1 of them suspended
    expect(run.activeAccounts).toBe(20);
    expect(run).toMatchObject({ regions: 17, tasksSent: 20 * 17, sendMessageBatchCalls: 34, schedulerEc2Calls: 1 });
    expect(run.taskFailures).toBe(0);
    expect(run.scopesImported).toBe(20 * 17);
    expect(run.ec2Calls).toBe(6 * 20 * 17); // DescribeVpcs, …EndpointServices, …Endpoints, …SecurityGroups, …Subnets, …RouteTables
  }, 60_000);
});
