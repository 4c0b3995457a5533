import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccountLevel } from '../../functions/core/check';
import { CATALOGUE } from '../../functions/checks/index';
import { evaluate } from '../../functions/core/engine';
import { parseParams } from '../../functions/core/params';
import { compareFindings } from '../../functions/core/finding';
import { serviceKindOf } from '../../functions/core/regions';
import { inventoryArb, shuffled } from '../fixtures/arbitraries';
import { CHECK_IDS } from '../../functions/checks/index';

const params = parseParams({}, CHECK_IDS);

describe('engine properties', () => {
  it('is deterministic: same input, same bytes', () => {
    fc.assert(
      fc.property(inventoryArb, (scopes) => {
        expect(JSON.stringify(evaluate(scopes, params, CATALOGUE))).toBe(
          JSON.stringify(evaluate(structuredClone(scopes), params, CATALOGUE)),
        );
      }),
    );
  });

  it('returns findings already sorted (account, region, VPC, resource, check)', () => {
    fc.assert(
      fc.property(inventoryArb, fc.boolean(), (scopes, oddIds) => {
        // Hand-written inventories may use ids that sort after their endpoints' ids.
        const renamed = oddIds
          ? scopes.map((s) => ({
              ...s,
              vpcs: s.vpcs.map((v) => ({ ...v, VpcId: `zz-${v.VpcId}` })),
              vpcEndpoints: s.vpcEndpoints.map((e) => ({ ...e, VpcId: `zz-${e.VpcId}` })),
            }))
          : scopes;
        const findings = evaluate(renamed, params, CATALOGUE);
        expect(findings).toEqual([...findings].sort(compareFindings));
      }),
    );
  });

  it('does not depend on the order of scopes, VPCs or endpoints', () => {
    fc.assert(
      fc.property(inventoryArb, fc.integer(), (scopes, seed) => {
        const reordered = shuffled(scopes, seed).map((s) => ({
          ...s,
          vpcs: shuffled(s.vpcs, seed + 1),
          vpcEndpoints: shuffled(s.vpcEndpoints, seed + 2),
        }));
        expect(evaluate(reordered, params, CATALOGUE)).toEqual(evaluate(scopes, params, CATALOGUE));
      }),
    );
  });

  it('gives exactly one finding per check and in-scope resource', () => {
    fc.assert(
      fc.property(inventoryArb, (scopes) => {
        const findings = evaluate(scopes, params, CATALOGUE);
        const keys = findings.map((f) => `${f.region} ${f.checkId} ${f.resourceId}`);
        expect(new Set(keys).size).toBe(keys.length);
        const vpcChecks = CATALOGUE.filter((c) => c.resourceType === 'AWS::EC2::VPC').length;
        const endpointChecks = CATALOGUE.filter((c) => c.resourceType === 'AWS::EC2::VPCEndpoint').length;
        // The inventories carry no account-level data: each account gets one ERROR per account-level check.
        const accountChecks = CATALOGUE.filter(isAccountLevel).length;
        const accounts = new Set(scopes.map((s) => s.accountId)).size;
        // Nor CloudTrail events: each scope gets one ERROR per check on callers.
        const callerChecks = CATALOGUE.filter((c) => c.resourceType === 'caller').length;
        const expected = scopes.reduce(
          (sum, s) => {
            const endpoints = s.vpcEndpoints.filter(
              (e) =>
                e.VpcEndpointType === 'Interface' &&
                e.State !== 'deleted' &&
                serviceKindOf(e.ServiceName, s.region) !== undefined,
            ).length;
            return sum + s.vpcs.length * vpcChecks + endpoints * endpointChecks;
          },
          accounts * accountChecks + scopes.length * callerChecks,
        );
        expect(findings).toHaveLength(expected);
        for (const f of findings) expect(f.message.length).toBeLessThanOrEqual(256);
        for (const f of findings.filter((f) => f.vpcId === '')) expect(f.status).toBe('ERROR');
      }),
    );
  });
});
