/**
 * /verify: is this payload a receipt Huduma issued? Valid only when the signature holds under
 * the key it names (our current key, or a retired one) AND the receipt is in the database
 * with exactly the facts signed. Anything else is "unknown": we never say more about why, so
 * the page cannot be used to probe.
 */
import { equals } from '#platform/money/index.ts';
import type { ReceiptRecord } from './receipt-repo.ts';
import { findReceiptByNumber, type DocumentsDeps } from './receipt-service.ts';
import {
  payloadKeyId,
  verifySignedReceipt,
  type SignedReceiptFacts,
} from './signed-payload.ts';
import { verificationKeyById, type SigningKeys } from './signing-keys.ts';

export type VerifyOutcome =
  | Readonly<{ kind: 'valid'; facts: SignedReceiptFacts; receipt: ReceiptRecord }>
  | Readonly<{ kind: 'unknown' }>;

/** A pasted payload may come as the whole /verify address, or with spaces from a line wrap. */
export function payloadFromInput(input: string): string {
  const trimmed = input.trim();
  const fromUrl = /[?&]p=([^&#\s]+)/.exec(trimmed)?.[1];
  const candidate = fromUrl === undefined ? trimmed : decodeURIComponent(fromUrl);
  return candidate.replace(/\s+/g, '');
}

export async function verifyReceiptPayload(
  deps: DocumentsDeps,
  keys: SigningKeys,
  input: string,
): Promise<VerifyOutcome> {
  const payload = payloadFromInput(input);
  // The key the payload names: ours now, or one retired by a rotation (its receipts stay good).
  const keyId = payloadKeyId(payload);
  const key = keyId === undefined ? undefined : verificationKeyById(keys, keyId);
  if (key === undefined) return { kind: 'unknown' };
  const checked = verifySignedReceipt(key.publicKey, payload);
  if (!checked.ok || checked.value.keyId !== key.keyId) return { kind: 'unknown' };
  const facts = checked.value;
  const receipt = await findReceiptByNumber(deps, facts.receiptNumber);
  if (receipt === undefined || receipt.invoiceReference !== facts.invoiceReference ||
    !equals(receipt.amount, facts.amount) || receipt.agencyName !== facts.agencyName ||
    receipt.paidAt.getTime() !== facts.paidAt.getTime()) return { kind: 'unknown' };
  return { kind: 'valid', facts, receipt };
}
