import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressOutside, cidrContains, formatCidr, isPrivate, parseCidr, type Cidr } from '../../functions/core/cidr';

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

describe('CIDR blocks', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['203.0.113.77/24', '203.0.113.0/24'],
    ['198.51.100.7', '198.51.100.7'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:DB8:0:0:1::1', '2001:db8::1:0:0:1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['::/0', '::/0'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('reads %s as %s', (text, formatted) => {
    expect(formatCidr(cidr(text))).toBe(formatted);
  });

  it.each(['', '203.0.113.0/33', '256.1.1.1', '1.2.3', '2001:db8::1::2', '10.0.0.0/8/1', 'abc', '<my-corporate-cidr>'])(
    'refuses %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );

  it('contains by prefix, never across families', () => {
    expect(cidrContains(cidr('10.0.0.0/8'), cidr('10.1.2.3'))).toBe(true);
    expect(cidrContains(cidr('10.1.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(cidrContains(cidr('::/0'), cidr('10.0.0.1'))).toBe(false);
  });

  it('finds an address of a block outside excluded blocks, or none when they cover it', () => {
    expect(addressOutside(cidr('203.0.113.0/24'), [cidr('203.0.113.0/25')])).toEqual(cidr('203.0.113.128'));
    expect(addressOutside(cidr('203.0.113.0/24'), [cidr('203.0.0.0/16')])).toBeUndefined();
    fc.assert(
      fc.property(
        fc.integer({ min: 12, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 20 }),
        (prefix, holes) => {
          const block = cidr(`100.0.0.0/${prefix}`);
          const excluded = holes.map((h) => cidr(`100.${h}.0.0/16`));
          const found = addressOutside(block, excluded);
          if (found) {
            expect(cidrContains(block, found)).toBe(true);
            expect(excluded.some((e) => cidrContains(e, found))).toBe(false);
          } else {
            // Not found only when the /16 holes cover every /16 of the block.
            const spanned = 2 ** Math.max(0, 16 - prefix);
            expect(Array.from({ length: spanned }, (_, i) => holes.includes(i)).every(Boolean)).toBe(true);
          }
        },
      ),
    );
  });

  it('knows private and shared address space', () => {
    expect(['10.2.3.4', '172.31.0.1', '192.168.1.1', '100.64.0.1', 'fd00::1'].every((a) => isPrivate(cidr(a)))).toBe(
      true,
    );
    expect(['203.0.113.9', '8.8.8.8', '2001:db8::1'].some((a) => isPrivate(cidr(a)))).toBe(false);
  });
});
