/**
 * Documents: receipts (issued once per allocation of money, facts snapshotted), signed with the
 * platform's Ed25519 key, as a page and a PDF with a QR code; /verify checks a receipt's
 * signed payload online, and the published key (/.well-known/huduma-signing-key) lets anyone
 * check it offline with verifySignedReceipt. Knows nothing of invoices or M-Pesa: payments
 * tells it the facts.
 *
 * - issueReceipt(deps, draft, now) -> ReceiptRecord: @idempotent with draft.sourceKey.
 * - findReceiptById / findReceiptByNumber / listInvoiceReceipts.
 * - documentsPaths.receipt(id) (the payer's page), .staffReceipt(id), .verify(payload?).
 * - verifySignedReceipt(publicKeyPem, payload): offline check, no database.
 * - Issued documents (docs/documents.md): issueDocumentInTrx(trx, keys, draft) in the caller's
 *   transaction, @idempotent with draft.sourceKey; revokeDocument (audited);
 *   verifyDocumentPayload(keys or PEM, payload) offline. Keys: documentSigningKeys(config).
 *   Revoking through the staff page tells the holder (documents.document-revoked, in their
 *   language, queued in the revoking transaction): revocationNoticeInTrx(deps).
 */
import type { HudumaModule } from '#platform/module.ts';
import { joinBundles } from '#web/index.ts';
import { documentSigningKeys } from './document-signing.ts';
import { documentsErrors } from './documents-errors.ts';
import { documentsRoutes } from './documents-routes.ts';
import { issuedDocumentRoutes } from './issued-document-routes.ts';
import issuedEn from './locales/issued-documents.en.json' with { type: 'json' };
import issuedSw from './locales/issued-documents.sw.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import receiptEn from './locales/receipt-details.en.json' with { type: 'json' };
import receiptSw from './locales/receipt-details.sw.json' with { type: 'json' };
import { revocationNoticeInTrx } from './revocation-notice.ts';

export { documentsErrors, type DocumentsErrorCode } from './documents-errors.ts';
export { documentsPaths } from './documents-paths.ts';
export { revocationNoticeInTrx } from './revocation-notice.ts';
export {
  isExpiredOn,
  kenyaDate,
  signDocumentFacts,
  verifyDocumentPayload,
  type DocumentCheckKeys,
  type OfflineDocumentCheck,
  type SignedDocumentFacts,
} from './document-payload.ts';
export { payloadFromPdf, renderDocumentPdf } from './document-pdf.ts';
export { documentSigningKeys } from './document-signing.ts';
export {
  findIssuedDocument,
  findIssuedDocumentByNumber,
  findIssuedDocumentBySourceKey,
  issueDocumentInTrx,
  listDocumentsOfHolder,
  revokeDocument,
  type IssuedDocumentsDeps,
  type RevokeDocumentFailure,
  type RevokeDocumentInput,
} from './issued-document-service.ts';
export {
  documentTemplates,
  type BilingualText,
  type DocumentDraft,
  type DocumentFact,
  type DocumentTemplate,
  type IssuedDocument,
} from './issued-document-types.ts';
export type { DocumentsTables } from './documents-tables.ts';
export type { ReceiptRecord } from './receipt-repo.ts';
export type { ReceiptBillLine, ReceiptDetails } from './receipt-details.ts';
export {
  findReceiptById,
  findReceiptByNumber,
  issueReceipt,
  issueReceiptTellingNew,
  listInvoiceReceipts,
  listReceiptsBySource,
  normaliseReceiptNumber,
  type DocumentsDeps,
  type ReceiptDraft,
} from './receipt-service.ts';
export {
  signReceiptFacts,
  verifySignedReceipt,
  type PayloadProblem,
  type SignedReceiptFacts,
} from './signed-payload.ts';
export {
  generateSigningKeys,
  loadSigningKeys,
  parseSigningKey,
  signingKeysOf,
  type SigningKeys,
} from './signing-keys.ts';

export const documentsModule: HudumaModule = {
  name: 'documents',
  errors: documentsErrors,
  messages: joinBundles([{ en, sw }, { en: receiptEn, sw: receiptSw },
    { en: issuedEn, sw: issuedSw }]),
  routes: async (app, deps) => {
    const keys = await documentSigningKeys(deps.config);
    await documentsRoutes(app, deps, keys);
    await issuedDocumentRoutes(app, deps, keys,
      { notifyHolderInTrx: revocationNoticeInTrx(deps) });
  },
};
