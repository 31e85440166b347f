/**
 * Who may call our M-Pesa callback URLs. Daraja callbacks are not signed, so two checks stand
 * in (STYLE 12): a secret token in the path, compared in constant time, and the caller's address
 * against an allow-list of CIDR ranges (Safaricom's published ranges). Pure, no I/O.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/**
 * Compares a presented token with the secret without leaking, through timing, how much of it
 * matched: both are hashed first, so the comparison is of equal lengths whatever was sent.
 */
export function callbackTokenMatches(presented: string, secret: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(secret)) && presented.length === secret.length;
}

export type SourceAllowList = Readonly<{ allows: (address: string) => boolean }>;

/** An IPv4 address written as IPv6 (::ffff:196.201.214.10) is checked as IPv4. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** An allow-list from CIDR ranges ('196.201.214.0/24', '::1/128'); a bad range is a bug. */
export function sourceAllowList(ranges: readonly string[]): SourceAllowList {
  const list = new BlockList();
  for (const range of ranges) {
    const [network = '', prefix = ''] = range.split('/');
    const version = isIP(network);
    if (version === 0 || !/^\d{1,3}$/.test(prefix)) throw new Error(`not a CIDR range: ${range}`);
    list.addSubnet(network, Number.parseInt(prefix, 10), version === 4 ? 'ipv4' : 'ipv6');
  }
  return {
    allows: (address) => {
      const plain = plainAddress(address);
      const version = isIP(plain);
      if (version === 0) return false;
      return list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
