import { analyzePolicy, type EndpointFacts, type Trust } from '../../functions/policy/analyze';
import { parsePolicy } from '../../functions/policy/parse';

export const GIT: EndpointFacts = {
  accountId: '123456789012',
  region: 'us-east-2',
  partition: 'aws',
  vpcId: 'vpc-1',
  endpointId: 'vpce-1',
  traffic: 'git',
};
export const API: EndpointFacts = { ...GIT, traffic: 'api' };
export const NO_TRUST: Trust = { trustedAccounts: [], trustedOrgIds: [] };

export function verdicts(document: unknown, facts: EndpointFacts = GIT, trust: Trust = NO_TRUST) {
  const parsed = parsePolicy(document);
  if (!parsed.ok) throw new Error(parsed.error);
  const analysis = analyzePolicy(parsed.policy, facts, trust);
  return {
    identityOpen: analysis.identity.state !== 'closed',
    resourceOpen: analysis.resource.state !== 'closed',
    pushOpen: analysis.push !== undefined,
  };
}

export function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export const ALLOW_ALL = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
