import { describe, expect, it } from 'vitest';
import { endpoint, only, run, scope, svc, vpc } from '../fixtures/builders';

function withState(state: string) {
  return scope('us-east-2', {
    vpcs: [vpc('vpc-1')],
    vpcEndpoints: [endpoint('vpce-1', 'vpc-1', svc('us-east-2', 'codecommit'), { State: state })],
  });
}

describe('CCE.5 endpoint availability', () => {
  it('gives no finding for an empty inventory', () => {
    expect(run('CCE.5', scope('us-east-2'))).toEqual([]);
  });

  it('passes an available endpoint (any letter case)', () => {
    expect(only(run('CCE.5', withState('available')), 'vpce-1')).toMatchObject({
      status: 'PASSED',
      message: 'Endpoint vpce-1 is available.',
    });
    expect(only(run('CCE.5', withState('Available')), 'vpce-1').status).toBe('PASSED');
  });

  it.each(['pendingAcceptance', 'rejected', 'failed', 'expired', 'partial'])('fails a %s endpoint', (state) => {
    const f = only(run('CCE.5', withState(state)), 'vpce-1');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'MEDIUM',
      message: `Endpoint vpce-1 is ${state} and carries no traffic.`,
    });
    expect(f.remediation).toContain('vpce-1');
  });

  it.each(['pending', 'deleting'])('is not applicable while %s', (state) => {
    expect(only(run('CCE.5', withState(state)), 'vpce-1')).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: `Endpoint vpce-1 is ${state}, a transient state; it is judged once it settles.`,
    });
  });

  it('produces no result for a deleted endpoint', () => {
    expect(run('CCE.5', withState('deleted'))).toEqual([]);
  });

  it('gives ERROR for an unknown state', () => {
    expect(only(run('CCE.5', withState('exploded')), 'vpce-1')).toMatchObject({
      status: 'ERROR',
      message: 'Endpoint vpce-1 has the unknown state "exploded".',
    });
  });

  it('suggests replacing subnets of a partial endpoint', () => {
    expect(only(run('CCE.5', withState('partial')), 'vpce-1').remediation).toContain(
      '--remove-subnet-ids BAD_SUBNET --add-subnet-ids GOOD_SUBNET',
    );
  });
});
