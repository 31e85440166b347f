/**
 * Who may call the USSD gateway endpoint. Aggregators do not sign their requests, so two
 * checks stand in, as for the M-Pesa callbacks: a secret token in the path, compared in
 * constant time, and (when configured) the caller's address against an allow-list of CIDR
 * ranges. Only a request that passes both is believed about the caller's phone number.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

export function gatewayTokenMatches(presented: string, secret: string | undefined): boolean {
  if (secret === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(secret)) && presented.length === secret.length;
}

/** An allow-list of CIDR ranges; an empty list allows every address. */
export function gatewaySources(ranges: readonly string[]): (address: string) => boolean {
  if (ranges.length === 0) return () => true;
  const list = new BlockList();
  for (const range of ranges) {
    const [network = '', prefix = '0'] = range.split('/');
    list.addSubnet(network, Number.parseInt(prefix, 10), isIP(network) === 6 ? 'ipv6' : 'ipv4');
  }
  return (address) => {
    const plain = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1] ?? address;
    const version = isIP(plain);
    return version !== 0 && list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  };
}
