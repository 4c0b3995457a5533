/**
 * IP addresses and CIDR blocks, IPv4 and IPv6, as IAM's IpAddress operators read them: a bare
 * address is a /32 (or /128) block. Addresses are BigInts so both families share one code path.
 */

export interface Cidr {
  version: 4 | 6;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let body = text;
  let tail: bigint[] = [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
  const v4 = /(^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (v4) {
    const value = parseIpv4(v4[2] ?? '');
    if (value === undefined) return undefined;
    tail = [value >> 16n, value & 0xffffn];
    body = body.slice(0, body.length - (v4[2] ?? '').length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): bigint[] | undefined => {
    if (!half) return [];
    const out: bigint[] = [];
    for (const group of half.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
      out.push(BigInt(`0x${group}`));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  if (!head || !rest) return undefined;
  const known = [...head, ...rest, ...tail].length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const all = [...head, ...Array<bigint>(8 - known).fill(0n), ...rest, ...tail];
  return all.reduce((value, group) => (value << 16n) | group, 0n);
}

/** An address or a block (`203.0.113.0/24`, `2001:db8::/32`, `198.51.100.7`), or undefined. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version: 4 | 6 = address.includes(':') ? 6 : 4;
  const value = version === 4 ? parseIpv4(address) : parseIpv6(address);
  if (value === undefined) return undefined;
  const bits = BITS[version];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { version, network: (value >> hostBits) << hostBits, prefix };
}

/** Whether `outer` contains every address of `inner`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
  const hostBits = BigInt(BITS[outer.version] - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** An address of `block` outside every block of `excluded`, or undefined when `excluded` covers it. */
export function addressOutside(block: Cidr, excluded: readonly Cidr[]): Cidr | undefined {
  const within = excluded.filter((e) => overlaps(e, block));
  if (within.some((e) => cidrContains(e, block))) return undefined;
  if (within.length === 0) return { version: block.version, network: block.network, prefix: BITS[block.version] };
  // Some excluded blocks lie inside this one: look in each half.
  const half = { version: block.version, prefix: block.prefix + 1 };
  const step = 1n << BigInt(BITS[block.version] - block.prefix - 1);
  return (
    addressOutside({ ...half, network: block.network }, within) ??
    addressOutside({ ...half, network: block.network + step }, within)
  );
}

/** The text of an address (a /32 or /128 block), or of a block. */
export function formatCidr(cidr: Cidr): string {
  const bits = BITS[cidr.version];
  let text: string;
  if (cidr.version === 4) {
    text = [24n, 16n, 8n, 0n].map((shift) => String((cidr.network >> shift) & 0xffn)).join('.');
  } else {
    const groups = Array.from({ length: 8 }, (_, i) => ((cidr.network >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
    // RFC 5952: the longest run of two or more zero groups becomes `::`.
    let best = { at: -1, length: 1 };
    for (let i = 0; i < 8;) {
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > best.length) best = { at: i, length: j - i };
      i = j === i ? i + 1 : j;
    }
    text =
      best.at < 0
        ? groups.join(':')
        : `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.length).join(':')}`;
  }
  return cidr.prefix === bits ? text : `${text}/${cidr.prefix}`;
}

/** Private and shared ranges (RFC 1918, RFC 6598, loopback, link-local, IPv6 ULA and link-local). */
const PRIVATE = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].map((text) => parseCidr(text) as Cidr);

/** Whether an address or block lies in private or shared address space (never on the internet). */
export function isPrivate(cidr: Cidr): boolean {
  return PRIVATE.some((range) => cidrContains(range, cidr));
}
