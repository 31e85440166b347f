/**
 * Deterministic ids for catalogue rows that come from a keyed source (the demo catalogue, the
 * eCitizen dataset, the generator): the same key always gives the same UUID, so seeding and
 * generating are idempotent. Name-based like RFC 9562 UUIDv5 (SHA-1 of a namespace + key).
 */
import { createHash } from 'node:crypto';

const namespace = 'huduma:catalogue:';

export function catalogueUuid(key: string): string {
  const bytes = createHash('sha1').update(namespace + key).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-` +
    `${hex.slice(16, 20)}-${hex.slice(20)}`;
}
