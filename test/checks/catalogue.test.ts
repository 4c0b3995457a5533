import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { SEVERITIES } from '../../functions/core/finding';

const DESIGN_TITLES: Record<string, [string, string, string]> = {
  'CCE.1': ['VPC has no interface endpoint for CodeCommit Git', 'AWS::EC2::VPC', 'MEDIUM'],
  'CCE.2': ['VPC has no interface endpoint for the CodeCommit API', 'AWS::EC2::VPC', 'MEDIUM'],
  'CCE.3': ['VPC that requires FIPS has no FIPS endpoint', 'AWS::EC2::VPC', 'HIGH'],
  'CCE.4': ['Endpoint has private DNS disabled', 'AWS::EC2::VPCEndpoint', 'MEDIUM'],
  'CCE.5': ['Endpoint is not available', 'AWS::EC2::VPCEndpoint', 'MEDIUM'],
  'CCE.6': ['Endpoint policy has no identity perimeter', 'AWS::EC2::VPCEndpoint', 'MEDIUM'],
  'CCE.7': ['Endpoint policy has no resource perimeter', 'AWS::EC2::VPCEndpoint', 'MEDIUM'],
  'CCE.8': ['Non-FIPS Git endpoint allows pushes where FIPS is required', 'AWS::EC2::VPCEndpoint', 'HIGH'],
  'CCE.9': ['Endpoint policy has statements that can never apply', 'AWS::EC2::VPCEndpoint', 'LOW'],
  'CCE.10': ['Endpoint security group is open to the world', 'AWS::EC2::VPCEndpoint', 'LOW'],
  'CCE.11': ['Endpoint is in a single Availability Zone', 'AWS::EC2::VPCEndpoint', 'LOW'],
};

describe('check catalogue', () => {
  it('has unique ids of the form CCE.n, in catalogue order', () => {
    const ids = CATALOGUE.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^CCE\.[1-9]\d*$/);
    expect(CHECK_IDS).toEqual(ids);
  });

  it.each(CATALOGUE.map((c) => [c.id, c] as const))('%s matches DESIGN and has complete metadata', (id, check) => {
    const design = DESIGN_TITLES[id];
    if (design) {
      const [title, resourceType, severity] = design;
      expect(check.title).toBe(title);
      expect(check.resourceType).toBe(resourceType);
      expect(check.severity).toBe(severity);
    }
    expect(check.title.length).toBeGreaterThan(10);
    expect(check.failsWhen.length).toBeGreaterThan(10);
    expect(SEVERITIES).toContain(check.severity);
    expect(check.risk.length).toBeGreaterThan(20);
    expect(check.remediationUrl).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(check.permissions.length).toBeGreaterThan(0);
    for (const permission of check.permissions) expect(permission).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
    expect(check.needs.length).toBeGreaterThan(0);
    expect(typeof check.evaluate).toBe('function');
    if (check.remediation !== undefined) expect(typeof check.remediation).toBe('function');
  });

  it.each(CATALOGUE.map((c) => c.id))('%s has its own test file', (id) => {
    expect(existsSync(`test/checks/cce-${id.slice(4)}.test.ts`)).toBe(true);
  });
});
