import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../functions/policy/parse';

describe('parsePolicy', () => {
  it('treats a missing policy as the default full-access policy', () => {
    for (const missing of [undefined, null, '', '  ']) {
      const result = parsePolicy(missing);
      expect(result.ok && result.policy.isDefault).toBe(true);
      expect(result.ok && result.policy.statements[0]?.principals.entries).toEqual([{ kind: 'any' }]);
    }
  });

  it('reads every principal form', () => {
    const result = parsePolicy({
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            AWS: ['123456789012', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/r', '*'],
            Service: 'codebuild.amazonaws.com',
          },
          Action: '*',
          Resource: '*',
        },
      ],
    });
    expect(result.ok && result.policy.statements[0]?.principals.entries).toEqual([
      { kind: 'account', account: '123456789012' },
      { kind: 'account', account: '111122223333' },
      { kind: 'arn', arn: 'arn:aws:iam::111122223333:role/r', account: '111122223333' },
      { kind: 'any' },
      { kind: 'service', value: 'codebuild.amazonaws.com' },
    ]);
  });

  it('splits condition operators into prefix, base and IfExists', () => {
    const result = parsePolicy({
      Statement: {
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: {
          'ForAnyValue:StringNotLikeIfExists': { 'aws:PrincipalOrgPaths': ['o-abcdef1234/*'] },
          Bool: { 'aws:SecureTransport': false },
        },
      },
    });
    expect(result.ok && result.policy.statements[0]?.conditions).toEqual([
      {
        operator: 'ForAnyValue:StringNotLikeIfExists',
        baseOperator: 'StringNotLike',
        setOperator: 'ForAnyValue',
        ifExists: true,
        key: 'aws:PrincipalOrgPaths',
        keyLower: 'aws:principalorgpaths',
        values: ['o-abcdef1234/*'],
      },
      {
        operator: 'Bool',
        baseOperator: 'Bool',
        setOperator: undefined,
        ifExists: false,
        key: 'aws:SecureTransport',
        keyLower: 'aws:securetransport',
        values: ['false'],
      },
    ]);
  });

  it.each([
    ['{"Statement": [', /^policy is not valid JSON: /],
    ['[]', /^policy is not a JSON object$/],
    ['"text"', /^policy is not a JSON object$/],
    ['{}', /^policy has no Statement$/],
    ['{"Statement": []}', /^policy has an empty Statement list$/],
    ['{"Statement": [42]}', /^policy statement 0 is not an object$/],
    [
      '{"Statement": {"Effect": "allow", "Principal": "*", "Action": "*", "Resource": "*"}}',
      /^policy statement 0: Effect must be "Allow" or "Deny", got "allow"$/,
    ],
    [
      '{"Statement": {"Sid": "S", "Effect": "Allow", "Principal": "*", "Resource": "*"}}',
      /^policy statement 0 \("S"\) has no Action or NotAction$/,
    ],
    [
      '{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "NotAction": "x", "Resource": "*"}}',
      /has both Action and NotAction/,
    ],
    ['{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}', /has no Principal or NotPrincipal/],
    [
      '{"Statement": {"Effect": "Allow", "Principal": 7, "Action": "*", "Resource": "*"}}',
      /Principal must be "\*" or an object/,
    ],
    [
      '{"Statement": {"Effect": "Allow", "Principal": {"Robot": "x"}, "Action": "*", "Resource": "*"}}',
      /unknown principal type "Robot"/,
    ],
    [
      '{"Statement": {"Effect": "Allow", "Principal": "*", "Action": [], "Resource": "*"}}',
      /Action must be a string or a non-empty array of strings/,
    ],
    [
      '{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": "x"}}',
      /Condition must be an object/,
    ],
    [
      '{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"Maybe:StringEquals": {"k": "v"}}}}',
      /unknown condition operator prefix "Maybe"/,
    ],
  ])('rejects %s with a clear message', (text, message) => {
    const result = parsePolicy(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});
