import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from '../../functions/core/cidr';
import {
  MAX_SOURCES,
  readTrafficEvent,
  routeOf,
  summaryProblem,
  TrafficAccumulator,
  type TrafficEvent,
} from '../../functions/core/traffic';

const kms = readFileSync('test/fixtures/cloudtrail/kms-with-vpcEndpointId-aws-doc.json', 'utf8');
const trusted = [parseCidr('198.51.100.0/24') as Cidr];

function pull(sourceIPAddress: string, n: number) {
  return {
    eventTime: `2026-11-26T0${n}:00:00Z`,
    eventName: n % 2 ? 'GitPush' : 'GitPull',
    sourceIPAddress,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/dev/bob', accountId: '111122223333' },
  };
}

describe('CloudTrail records', () => {
  it("reads AWS's example of a request through an interface endpoint as through an endpoint", () => {
    const event = readTrafficEvent(kms, '111122223333') as TrafficEvent;
    expect(event.principal).toEqual({
      id: 'user/Alice',
      type: 'AWS::IAM::User',
      arn: 'arn:aws:iam::111122223333:user/Alice',
      accountId: '111122223333',
    });
    expect(event.vpcEndpointId).toMatch(/^vpce-/);
    expect(routeOf(event, { cidrs: [], accounts: [] }, '111122223333')).toBe('endpoint');
  });

  it('says why a record cannot be judged', () => {
    expect(readTrafficEvent('[1]', 'x')).toBe('the record is not a JSON object');
    expect(readTrafficEvent({ eventName: 'GitPull', eventTime: 'yesterday' }, 'x')).toBe(
      'the record has no valid eventTime',
    );
    expect(readTrafficEvent({ eventName: 'GitPull', eventTime: '2026-11-26T00:00:00Z', userIdentity: {} }, 'x')).toBe(
      'the record names no caller (userIdentity.type missing)',
    );
  });

  it('names root and callers of other accounts with their account', () => {
    const root = readTrafficEvent(
      {
        eventName: 'ListRepositories',
        eventTime: '2026-11-26T00:00:00Z',
        userIdentity: { type: 'Root', accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root' },
      },
      '111122223333',
    ) as TrafficEvent;
    expect(root.principal).toMatchObject({ id: 'root', type: 'AWS::IAM::User', arn: 'arn:aws:iam::111122223333:root' });
    const other = readTrafficEvent(
      { ...pull('203.0.113.1', 1), recipientAccountId: '999988887777' },
      'x',
    ) as TrafficEvent;
    expect(other.principal?.id).toBe('111122223333:user/bob');
  });

  it('sums up per principal across pages exactly as in one go, keeping five addresses', () => {
    const records = Array.from({ length: 9 }, (_, i) => pull(i === 4 ? '10.0.0.9' : `203.0.113.${i}`, i));
    const whole = new TrafficAccumulator('111122223333', trusted);
    records.forEach((r, i) => whole.add(JSON.stringify(r), `r${i}`));
    const first = new TrafficAccumulator('111122223333', trusted);
    records.slice(0, 4).forEach((r, i) => first.add(r, `r${i}`));
    // The carried summary travels as JSON between tasks.
    const carried = JSON.parse(JSON.stringify(first.summary())) as ReturnType<typeof first.summary>;
    expect(summaryProblem(carried)).toBeUndefined();
    const second = new TrafficAccumulator('111122223333', trusted, carried);
    records.slice(4).forEach((r, i) => second.add(r, `r${i + 4}`));
    expect(second.summary()).toEqual(whole.summary());
    const [bob] = whole.summary().principals;
    expect(bob).toMatchObject({
      outside: 8,
      private: 1,
      firstOutside: '2026-11-26T00:00:00.000Z',
      lastOutside: '2026-11-26T08:00:00.000Z',
    });
    expect(bob?.sources).toHaveLength(MAX_SOURCES);
    expect(bob?.actions).toEqual(['GitPull', 'GitPush']);
  });

  it('refuses a malformed carried summary', () => {
    expect(summaryProblem({ principals: [{ principal: { id: 'x' } }], unreadable: 0 })).toBe(
      "principals[0] is not a principal's activity",
    );
    expect(summaryProblem([])).toMatch(/not a summary/);
  });
});
