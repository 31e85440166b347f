/**
 * The signed payload a receipt's QR code carries:
 *   base64url(JSON of the receipt facts) + '.' + base64url(Ed25519 signature of those bytes)
 * Compact (a receipt fits a QR code a cheap phone camera reads) and checkable offline with
 * nothing but the published public key: verifySignedReceipt needs no database and no network.
 * Ed25519 signatures are deterministic, so the same receipt always carries the same payload.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { err, ok, type Result } from '#platform/errors/index.ts';
import { isCurrency, money, type Money } from '#platform/money/index.ts';

/** What a receipt states, as signed. */
export type SignedReceiptFacts = Readonly<{
  receiptNumber: string;
  invoiceReference: string;
  amount: Money;
  agencyName: string;
  paidAt: Date;
  /** The id of the key that signed it (keys can be rotated; old receipts stay valid). */
  keyId: string;
}>;

/** The payload format version; a new format is a new number, never a changed meaning. */
const payloadVersion = 1;
/** A QR code holds about 2,900 bytes at most; a payload beyond this is not one of ours. */
export const signedPayloadLengthMax = 1_500;
const base64urlPattern = /^[A-Za-z0-9_-]+$/;
const ed25519SignatureBytes = 64;

type WireFacts = Readonly<{
  v: number; n: string; r: string; a: string; c: string; g: string; t: string; k: string;
}>;

export function encodeFacts(facts: SignedReceiptFacts): Buffer {
  const wire: WireFacts = {
    v: payloadVersion,
    n: facts.receiptNumber,
    r: facts.invoiceReference,
    a: facts.amount.amountMinor.toString(),
    c: facts.amount.currency,
    g: facts.agencyName,
    t: facts.paidAt.toISOString(),
    k: facts.keyId,
  };
  return Buffer.from(JSON.stringify(wire), 'utf8');
}

export function signReceiptFacts(privateKey: KeyObject, facts: SignedReceiptFacts): string {
  const body = encodeFacts(facts);
  const signature = sign(null, body, privateKey);
  return `${body.toString('base64url')}.${signature.toString('base64url')}`;
}

export type PayloadProblem = 'malformed' | 'signature-invalid';

/**
 * Checks a payload against a public key (a KeyObject, or the published PEM) and returns the
 * facts it states. 'malformed': not a payload of ours at all; 'signature-invalid': the facts
 * were changed, or another key signed them.
 */
export function verifySignedReceipt(
  publicKey: KeyObject | string,
  payload: string,
): Result<SignedReceiptFacts, PayloadProblem> {
  if (payload.length > signedPayloadLengthMax) return err('malformed');
  const [bodyText = '', signatureText = '', extra] = payload.trim().split('.');
  if (extra !== undefined || !base64urlPattern.test(bodyText) ||
    !base64urlPattern.test(signatureText)) return err('malformed');
  const body = Buffer.from(bodyText, 'base64url');
  const signature = Buffer.from(signatureText, 'base64url');
  const facts = decodeFacts(body);
  if (facts === undefined || signature.length !== ed25519SignatureBytes) return err('malformed');
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  if (key.asymmetricKeyType !== 'ed25519') return err('signature-invalid');
  return verify(null, body, key, signature) ? ok(facts) : err('signature-invalid');
}

/**
 * The id of the key a payload says signed it (its `k`), read before any check, to choose the
 * key to check it with; undefined when it is not a payload of ours at all.
 */
export function payloadKeyId(payload: string): string | undefined {
  if (payload.length > signedPayloadLengthMax) return undefined;
  const [bodyText = ''] = payload.trim().split('.');
  if (!base64urlPattern.test(bodyText)) return undefined;
  return decodeFacts(Buffer.from(bodyText, 'base64url'))?.keyId;
}

function decodeFacts(body: Buffer): SignedReceiptFacts | undefined {
  let wire: unknown;
  try {
    wire = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null) return undefined;
  const fields = wire as Record<string, unknown>;
  const text = (name: string) => typeof fields[name] === 'string' ? fields[name] : undefined;
  const [number, reference, amount, currency, agency, paidAt, keyId] =
    ['n', 'r', 'a', 'c', 'g', 't', 'k'].map(text);
  if (fields['v'] !== payloadVersion || number === undefined || reference === undefined ||
    amount === undefined || !/^\d{1,18}$/.test(amount) || currency === undefined ||
    !isCurrency(currency) || agency === undefined || paidAt === undefined ||
    keyId === undefined) return undefined;
  const paidAtDate = new Date(paidAt);
  if (Number.isNaN(paidAtDate.getTime())) return undefined;
  return {
    receiptNumber: number,
    invoiceReference: reference,
    amount: money(BigInt(amount), currency),
    agencyName: agency,
    paidAt: paidAtDate,
    keyId,
  };
}
