/**
 * The signed payload an issued document's QR code carries:
 *   HD1.<base64url(JSON of the signed facts)>.<base64url(Ed25519 signature)>
 * where the signature covers the ASCII text `HD1.<body>`. The `HD1` marker names the kind and
 * version, so a document payload is never read as a receipt's (receipts sign the bare JSON
 * bytes and have two parts, not three) nor a receipt's as a document's. Dates are YYYY-MM-DD in
 * Kenya time. Checking it needs nothing but the public key: no database, no network.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { isDocumentTemplate, type DocumentTemplate } from './issued-document-types.ts';
import { verificationKeyById, type SigningKeys, type VerificationKey } from './signing-keys.ts';

/** What a document's QR code states, as signed. */
export type SignedDocumentFacts = Readonly<{
  number: string;
  template: DocumentTemplate;
  /** The service and agency, in English (the names on the document's first line). */
  serviceName: string;
  agencyName: string;
  holderName: string;
  /** YYYY-MM-DD, Kenya time. */
  issuedOn: string;
  /** YYYY-MM-DD, Kenya time: the last day it is good for; null when it does not expire. */
  expiresOn: string | null;
  /** The id of the key that signed it (keys rotate; older documents still verify). */
  keyId: string;
}>;

export const documentPayloadMarker = 'HD1';
/** A QR code holds about 2,900 bytes at most; a payload beyond this is not one of ours. */
export const documentPayloadLengthMax = 1_500;
export const documentNumberPattern = /^HD-[0-9A-Z]{5}-[0-9A-Z]{5}$/;
const textLengthMax = 300;
const base64urlPattern = /^[A-Za-z0-9_-]+$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const keyIdPattern = /^[0-9a-f]{16}$/;
const ed25519SignatureBytes = 64;
const kenyaOffsetMs = 3 * 60 * 60 * 1000;

/** The calendar date in Kenya (UTC+3 all year, no summer time) as YYYY-MM-DD. */
export function kenyaDate(instant: Date): string {
  return new Date(instant.getTime() + kenyaOffsetMs).toISOString().slice(0, 10);
}

function signedText(bodyText: string): Buffer {
  return Buffer.from(`${documentPayloadMarker}.${bodyText}`, 'ascii');
}

export function signDocumentFacts(privateKey: KeyObject, facts: SignedDocumentFacts): string {
  const wire = {
    n: facts.number, d: facts.template, s: facts.serviceName, g: facts.agencyName,
    h: facts.holderName, i: facts.issuedOn, e: facts.expiresOn, k: facts.keyId,
  };
  const bodyText = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  const signature = sign(null, signedText(bodyText), privateKey).toString('base64url');
  return `${documentPayloadMarker}.${bodyText}.${signature}`;
}

/** Does this look like a document payload (marker first), before any check? */
export function isDocumentPayload(payload: string): boolean {
  return payload.startsWith(`${documentPayloadMarker}.`);
}

type SplitPayload = Readonly<{ bodyText: string; signature: Buffer; facts: SignedDocumentFacts }>;

function splitPayload(payload: string): SplitPayload | undefined {
  if (payload.length > documentPayloadLengthMax) return undefined;
  const [marker, bodyText = '', signatureText = '', extra] = payload.split('.');
  if (marker !== documentPayloadMarker || extra !== undefined ||
    !base64urlPattern.test(bodyText) || !base64urlPattern.test(signatureText)) return undefined;
  const signature = Buffer.from(signatureText, 'base64url');
  const facts = decodeFacts(Buffer.from(bodyText, 'base64url'));
  // Only the canonical encoding: a payload has exactly one spelling, so any changed
  // character (even in a signature's unused low bits) makes it not ours.
  if (facts === undefined || signature.length !== ed25519SignatureBytes ||
    signature.toString('base64url') !== signatureText) return undefined;
  return { bodyText, signature, facts };
}

function shortText(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= textLengthMax;
}

function decodeFacts(body: Buffer): SignedDocumentFacts | undefined {
  let wire: unknown;
  try {
    wire = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) return undefined;
  const { n, d, s, g, h, i, e, k } = wire as Record<string, unknown>;
  if (typeof n !== 'string' || !documentNumberPattern.test(n) || typeof d !== 'string' ||
    !isDocumentTemplate(d) || !shortText(s) || !shortText(g) || !shortText(h) ||
    typeof i !== 'string' || !datePattern.test(i) ||
    (e !== null && (typeof e !== 'string' || !datePattern.test(e))) ||
    typeof k !== 'string' || !keyIdPattern.test(k)) return undefined;
  return {
    number: n, template: d, serviceName: s, agencyName: g, holderName: h, issuedOn: i,
    expiresOn: e, keyId: k,
  };
}

/** The key id a document payload names, read before any check; undefined if not ours. */
export function documentPayloadKeyId(payload: string): string | undefined {
  return splitPayload(payload)?.facts.keyId;
}

/** The public key(s) to check with: a PEM, a key, or the platform's keys (current + retired). */
export type DocumentCheckKeys = string | KeyObject | SigningKeys | readonly VerificationKey[];

export type OfflineDocumentCheck =
  | Readonly<{ status: 'valid'; facts: SignedDocumentFacts }>
  | Readonly<{ status: 'expired'; facts: SignedDocumentFacts }>
  | Readonly<{ status: 'bad-signature' }>
  | Readonly<{ status: 'malformed' }>;

function keyFor(keys: DocumentCheckKeys, keyId: string): KeyObject | undefined {
  if (typeof keys === 'string') return createPublicKey(keys);
  if (Array.isArray(keys)) {
    return (keys as readonly VerificationKey[]).find((key) => key.keyId === keyId)?.publicKey;
  }
  if ('privateKey' in keys) return verificationKeyById(keys, keyId)?.publicKey;
  return keys as KeyObject;
}

/** Is a document good on `today` (Kenya date) by its signed expiry alone? */
export function isExpiredOn(facts: SignedDocumentFacts, now: Date): boolean {
  return facts.expiresOn !== null && kenyaDate(now) > facts.expiresOn;
}

/**
 * Checks a document payload offline: the signature under the key it names (or the one key
 * given), then its expiry against `now`. 'malformed': not a document payload of ours at all;
 * 'bad-signature': changed, or signed by a key we do not hold. Revocation needs the database
 * (or the /verify page): offline, a revoked document still reads 'valid'.
 */
export function verifyDocumentPayload(
  keys: DocumentCheckKeys,
  payload: string,
  now: Date = new Date(),
): OfflineDocumentCheck {
  const split = splitPayload(payload.trim());
  if (split === undefined) return { status: 'malformed' };
  const key = keyFor(keys, split.facts.keyId);
  if (key?.asymmetricKeyType !== 'ed25519' ||
    !verify(null, signedText(split.bodyText), key, split.signature)) {
    return { status: 'bad-signature' };
  }
  return isExpiredOn(split.facts, now)
    ? { status: 'expired', facts: split.facts }
    : { status: 'valid', facts: split.facts };
}
