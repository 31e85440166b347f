/**
 * The revenue ledger: a double-entry, append-only journal in minor units, one currency per
 * entry (accounts, posting rules, invariants: docs/ledger.md). It knows nothing of invoices or
 * M-Pesa: it is a book of accounts keyed by code, and imports only the platform.
 *
 * How payments uses it (all writes in the caller's transaction, so the payment, its entries
 * and its audit row commit together):
 *
 *   await db.transaction().execute(async (trx) => {
 *     // ...store the payment...
 *     const posted = await postEntryInTrx(trx, receiptMatched({
 *       receipt: { channel: { kind: 'mpesa', shortcode: '222222' }, receiptNumber: 'QK71ABC123' },
 *       invoiceId, amount: money(150_00n, 'KES'), occurredAt, paymentId,
 *     }));
 *     if (!posted.ok) ...                  // a named failure (LEDGER_...), nothing posted
 *     if (posted.value.alreadyPosted) ...  // a replay: the same event was posted before
 *     const deposits = await balanceOfInTrx(trx, accountCodes.invoiceDeposits(invoiceId), 'KES');
 *     const covered = invoiceCovered({ invoiceId, deposits, agencyFees, accessFee, payerId, ... });
 *     if (covered.ok) await postEntryInTrx(trx, covered.value);
 *     // ...audit row...
 *   });
 *
 * - Entries: build them with the posting rules (receiptMatched, receiptForClosedInvoice,
 *   receiptUnmatched, invoiceCovered, suspenseMatched, creditUsed, refundApproved,
 *   refundPaidOut, refundCancelled, paybillSwept, settlementReleased, agencySettled,
 *   settlementReturned, accessFeesRemitted, providerCharged, invoiceWithdrawnToCredit);
 *   write lines by hand only for a rule not yet here (add it here instead).
 * - postEntryInTrx(trx, entry) -> Result<{ entryId, alreadyPosted }>: idempotent on
 *   entry.idempotencyKey; the same key with a different entry is LEDGER_IDEMPOTENCY_KEY_REUSED.
 *   The three receipt rules share the key `<channel>:<receipt>:receipt`, so one provider
 *   receipt enters the ledger once whatever rule a replay picks. A debit that would take a
 *   liability (deposits, credit, suspense, payables) below zero is refused
 *   (LEDGER_BALANCE_WOULD_GO_NEGATIVE), safely under concurrency: the debited account's row is
 *   locked, so two uses of one credit cannot both succeed.
 * - postEntriesInTrx(trx, entries) -> Result<Posted[], PostFailure & { index }>: the same,
 *   for many entries in list order (a later one may spend what an earlier one brought in), in
 *   about five statements whatever their number; all or nothing. For busy paths (ingest).
 * - postCorrectionInTrx(trx, { entryId, idempotencyKey, occurredAt, code? }): reverses an
 *   entry by a new one naming it (provider reversals, mistakes); at most one per entry.
 * - balanceOfInTrx(trx, code, currency) / balanceOf(db, code, currency) -> Money, signed by
 *   the account's normal side. An account is (code, currency): KES and USD are separate books.
 * - balancesByPrefix(db, prefix, page), entriesOfAccount(db, code, currency, page),
 *   trialBalance(db), checkLedger(db) (`huduma ledger check`).
 * - On a failed Result nothing was written, but PostgreSQL errors (a deadlock, a lost
 *   connection) still throw: let them roll the transaction back.
 */
import type { HudumaModule } from '#platform/module.ts';
import { ledgerErrors } from './ledger-errors.ts';
import { ledgerRoutes } from './ledger-routes.ts';
import { trialBalancePagePaths, trialBalancePageRoutes } from './trial-balance-page.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export {
  accountAllowsCurrency,
  accountCodes,
  accountKinds,
  describeAccount,
  isAccountCode,
  parseAccountCode,
  type AccountCode,
  type AccountKind,
  type AccountKindDefinition,
  type AccountType,
  type Channel,
  type ParsedAccountCode,
  type Side,
} from './account-codes.ts';
export {
  applyEntries,
  balanceIn,
  balanceKey,
  signedAmountMinor,
  trialBalanceOf,
  type Balances,
  type TrialBalanceTotals,
} from './balance-model.ts';
export { postEntriesInTrx, type BatchPostFailure } from './batch-posting.ts';
export { entryCodes, receiptEntryCodes } from './entry-codes.ts';
export {
  amountMinorMax,
  entryRuleCodes,
  linesPerEntryMax,
  validateEntry,
  type Entry,
  type EntryLine,
  type EntryReference,
  type EntryRuleCode,
} from './entry-rules.ts';
export {
  checkLedger,
  findingsMax,
  type LedgerCheckOptions,
  type LedgerCheckReport,
  type LedgerFinding,
  type LedgerFindingRule,
} from './ledger-check-service.ts';
export { ledgerErrors, type LedgerErrorCode } from './ledger-errors.ts';
export {
  balancesByPrefix,
  entriesOfAccount,
  pageSizeMax,
  trialBalance,
  type AccountBalanceRow,
  type AccountEntryRow,
  type CurrencyTrialBalance,
  type KindBalance,
  type Page,
  type PageRequest,
  type TrialBalance,
} from './ledger-report-service.ts';
export { ledgerPaths } from './ledger-routes.ts';
export { trialBalanceCsv, trialBalancePagePaths } from './trial-balance-page.ts';
export {
  balanceOf,
  balanceOfInTrx,
  findEntry,
  postCorrectionInTrx,
  postEntryInTrx,
  type CorrectionInput,
  type Posted,
  type PostFailure,
  type StoredEntry,
} from './ledger-service.ts';
export type { LedgerTables } from './ledger-tables.ts';
export {
  accessFeesRemitted,
  agencySettled,
  invoiceWithdrawnToCredit,
  paybillSwept,
  payeeAccount,
  providerCharged,
  refundApproved,
  refundCancelled,
  refundPaidOut,
  settlementReleased,
  settlementReturned,
  type RefundSource,
  type SettlementPayee,
} from './outflow-postings.ts';
export {
  creditUsed,
  invoiceCovered,
  providerReceiptKey,
  receiptForClosedInvoice,
  receiptIdempotencyKey,
  receiptMatched,
  receiptUnmatched,
  suspenseMatched,
  type AgencyFee,
  type InvoiceCoveredInput,
  type ProviderReceipt,
  type ReceiptInput,
} from './receipt-postings.ts';

export const ledgerModule: HudumaModule = {
  name: 'ledger',
  errors: ledgerErrors,
  messages: { en, sw },
  staffNavigation: [{ href: trialBalancePagePaths.page, labelKey: 'ledger.nav',
    permission: 'ledger.read' }],
  routes: async (app, deps) => {
    await ledgerRoutes(app, deps);
    await trialBalancePageRoutes(app, deps);
  },
};
