/**
 * /verify for issued documents: valid only when the signature holds under the key the payload
 * names (current or retired) AND the document is in the database with exactly the facts
 * signed. Then revoked (by the issuing agency) before expired before valid. Anything else is
 * "unknown", never saying why, so the page cannot be used to probe.
 */
import {
  isDocumentPayload,
  isExpiredOn,
  kenyaDate,
  verifyDocumentPayload,
  type SignedDocumentFacts,
} from './document-payload.ts';
import {
  findIssuedDocumentByNumber,
  signedDocumentFactsOf,
  type IssuedDocumentsDeps,
} from './issued-document-service.ts';
import type { IssuedDocument } from './issued-document-types.ts';
import type { SigningKeys } from './signing-keys.ts';
import { payloadFromInput } from './verify-service.ts';

/** A document's standing on a day, as its pages show it. */
export type DocumentStatus = 'valid' | 'expired' | 'revoked';

export type DocumentVerifyOutcome =
  | Readonly<{ status: DocumentStatus; facts: SignedDocumentFacts; document: IssuedDocument }>
  | Readonly<{ status: 'unknown' }>;

export function documentStatusOf(document: IssuedDocument, facts: SignedDocumentFacts,
  now: Date): DocumentStatus {
  if (document.revokedAt !== null) return 'revoked';
  return isExpiredOn(facts, now) ? 'expired' : 'valid';
}

function sameFacts(left: SignedDocumentFacts, right: SignedDocumentFacts): boolean {
  return left.number === right.number && left.template === right.template &&
    left.serviceName === right.serviceName && left.agencyName === right.agencyName &&
    left.holderName === right.holderName && left.issuedOn === right.issuedOn &&
    left.expiresOn === right.expiresOn && left.keyId === right.keyId;
}

/** Is the pasted or scanned input a document payload (not a receipt's)? */
export function isDocumentInput(input: string): boolean {
  return isDocumentPayload(payloadFromInput(input));
}

export async function verifyDocumentOnline(
  deps: IssuedDocumentsDeps,
  keys: SigningKeys,
  input: string,
  now: Date,
): Promise<DocumentVerifyOutcome> {
  const checked = verifyDocumentPayload(keys, payloadFromInput(input), now);
  if (checked.status !== 'valid' && checked.status !== 'expired') return { status: 'unknown' };
  const facts = checked.facts;
  const document = await findIssuedDocumentByNumber(deps, facts.number);
  if (document === undefined || !sameFacts(signedDocumentFactsOf(document, facts.keyId), facts)) {
    return { status: 'unknown' };
  }
  return { status: documentStatusOf(document, facts, now), facts, document };
}

/** What the public answer states: the signed facts, and the revocation's date (no reason). */
export type PublicDocumentAnswer =
  | Readonly<{ status: 'valid' | 'expired'; facts: SignedDocumentFacts }>
  | Readonly<{ status: 'revoked'; facts: SignedDocumentFacts; revokedOn: string }>
  | Readonly<{ status: 'unknown' }>;

export function publicAnswerOf(outcome: DocumentVerifyOutcome): PublicDocumentAnswer {
  if (outcome.status === 'unknown') return outcome;
  if (outcome.status === 'revoked') {
    return { status: 'revoked', facts: outcome.facts,
      revokedOn: kenyaDate(outcome.document.revokedAt ?? new Date(0)) };
  }
  return { status: outcome.status, facts: outcome.facts };
}
