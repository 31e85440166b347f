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
 */
import type { HudumaModule } from '#platform/module.ts';
import { documentsErrors } from './documents-errors.ts';
import { documentsRoutes } from './documents-routes.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { loadSigningKeys } from './signing-keys.ts';

export { documentsErrors, type DocumentsErrorCode } from './documents-errors.ts';
export { documentsPaths } from './documents-paths.ts';
export type { DocumentsTables } from './documents-tables.ts';
export type { ReceiptRecord } from './receipt-repo.ts';
export {
  findReceiptById,
  findReceiptByNumber,
  issueReceipt,
  listInvoiceReceipts,
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
  messages: { en, sw },
  routes: async (app, deps) => documentsRoutes(app, deps, await loadSigningKeys(deps.config)),
};
