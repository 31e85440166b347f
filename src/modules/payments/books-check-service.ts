/**
 * The whole of `huduma ledger check`: the ledger's own invariants (checkLedger: entries
 * balance, trial balance zero, one receipt entry per provider receipt, no guarded balance below
 * zero, the chart) and the invariants that tie the ledger to the payments (LEDGER.md invariant
 * 4 and the posting rules), which the ledger alone cannot see because it knows no invoices:
 * - an invoice whose allocations reach its total has exactly one covered entry, recognising
 *   exactly its total for the agency and Treasury, and zero deposits; one below its total has
 *   no covered entry and deposits equal to its allocations; an invoice withdrawn for a refund
 *   (wrong service) has its covered entry corrected once (INVOICE_COVERAGE_WITHDRAWN), and no
 *   other has, and its total is counted in the payer's credit;
 * - each payer's credit equals what they paid beyond their invoices' totals, plus payments
 *   credited to them that no invoice took, less the credit they spent;
 * - suspense equals the payments held in suspense;
 * - refunds payable equals the refunds approved and neither paid nor cancelled, and the
 *   REFUND_PAID_OUT entries sum to the refunds paid (a payer's credit also loses the refunds
 *   of it approved and not cancelled);
 * - each payment has exactly one receipt entry, of its amount and of the kind its
 *   disposition calls for (a card payment's debiting its acquirer's collection account), and
 *   every receipt entry that names a payment names a recorded one.
 * Like checkLedger it trusts none of the database's guards.
 */
import type { Kysely } from 'kysely';
import {
  checkLedger,
  type LedgerCheckOptions,
  type LedgerCheckReport,
  type LedgerFinding,
} from '#modules/ledger/index.ts';
import {
  countInvoices,
  selectCreditDisagreements,
  selectInvoiceBooksBatch,
  selectReceiptDisagreements,
  selectRefundDisagreements,
  selectSuspenseDisagreements,
  type InvoiceBooksRow,
} from './books-check-repo.ts';

export type BooksFindingRule =
  | 'INVOICE_COVERED_WITHOUT_COVERED_ENTRY'
  | 'INVOICE_COVERED_WITH_DEPOSITS_LEFT'
  | 'INVOICE_COVERED_ENTRY_RECOGNISES_OTHER_AMOUNT'
  | 'INVOICE_NOT_COVERED_HAS_COVERED_ENTRY'
  | 'INVOICE_DEPOSITS_DIFFER_FROM_ALLOCATIONS'
  | 'PAYER_CREDIT_DIFFERS_FROM_OVERPAYMENTS'
  | 'SUSPENSE_DIFFERS_FROM_PAYMENTS_HELD'
  | 'PAYMENT_RECEIPT_ENTRY_WRONG'
  | 'REFUNDS_PAYABLE_DIFFERS_FROM_REFUNDS_OWED'
  | 'REFUNDS_PAID_DIFFER_FROM_PAYOUTS'
  | 'INVOICE_WITHDRAWN_COVERAGE_NOT_CORRECTED'
  | 'INVOICE_COVERAGE_WITHDRAWN_NOT_RECORDED';

export type BooksFinding = Readonly<{ rule: BooksFindingRule; subject: string; detail: string }>;

export type BooksCheckReport = Omit<LedgerCheckReport, 'findings'> & Readonly<{
  invoicesChecked: number;
  findings: ReadonlyArray<LedgerFinding | BooksFinding>;
}>;

const batchSizeDefault = 1000;
/** As the ledger's: enough to act on. */
const findingsMax = 1000;

/**
 * A withdrawn invoice (refunded for the wrong service) has exactly one INVOICE_COVERAGE_WITHDRAWN
 * correction of its covered entry; an invoice not withdrawn has none.
 */
function withdrawalFindings(row: InvoiceBooksRow, subject: string): BooksFinding[] {
  const detail = `${row.coverageWithdrawals} INVOICE_COVERAGE_WITHDRAWN entries`;
  if (row.withdrawn && row.coverageWithdrawals !== 1) {
    return [{ rule: 'INVOICE_WITHDRAWN_COVERAGE_NOT_CORRECTED', subject, detail }];
  }
  if (!row.withdrawn && row.coverageWithdrawals > 0) {
    return [{ rule: 'INVOICE_COVERAGE_WITHDRAWN_NOT_RECORDED', subject, detail }];
  }
  return [];
}

/** The findings for one invoice's books. Pure. */
export function invoiceBooksFindings(row: InvoiceBooksRow): BooksFinding[] {
  const subject = `invoice ${row.reference} (${row.id})`;
  return [...coverageFindings(row, subject), ...withdrawalFindings(row, subject)];
}

/**
 * Covered or not: a withdrawn invoice keeps its covered entry (corrected), recognising its
 * total, and zero deposits (they went to the payer's credit).
 */
function coverageFindings(row: InvoiceBooksRow, subject: string): BooksFinding[] {
  const amounts = `allocated ${row.allocatedMinor}, total ${row.totalMinor}, deposits ` +
    `${row.depositsMinor} (${row.currency} minor)`;
  if (row.allocatedMinor >= row.totalMinor && row.allocatedMinor > 0n) {
    const findings: BooksFinding[] = [];
    if (row.coveredEntries === 0) {
      findings.push({ rule: 'INVOICE_COVERED_WITHOUT_COVERED_ENTRY', subject, detail: amounts });
    } else if (row.recognisedMinor !== row.totalMinor) {
      findings.push({ rule: 'INVOICE_COVERED_ENTRY_RECOGNISES_OTHER_AMOUNT', subject,
        detail: `recognised ${row.recognisedMinor}, total ${row.totalMinor}` });
    }
    if (row.depositsMinor !== 0n) {
      findings.push({ rule: 'INVOICE_COVERED_WITH_DEPOSITS_LEFT', subject, detail: amounts });
    }
    return findings;
  }
  const findings: BooksFinding[] = [];
  if (row.coveredEntries > 0) {
    findings.push({ rule: 'INVOICE_NOT_COVERED_HAS_COVERED_ENTRY', subject, detail: amounts });
  }
  if (row.depositsMinor !== row.allocatedMinor) {
    findings.push({ rule: 'INVOICE_DEPOSITS_DIFFER_FROM_ALLOCATIONS', subject, detail: amounts });
  }
  return findings;
}

/** Checks the ledger's invariants and those tying it to invoices and payments. */
export async function checkBooks<DB>(
  db: Kysely<DB>,
  options: LedgerCheckOptions = {},
): Promise<BooksCheckReport> {
  const invoiceCount = await countInvoices(db);
  const ledger = await checkLedger(db, { ...options, onProgress: (done, total) =>
    options.onProgress?.(done, total + invoiceCount) });
  const ledgerItems = ledger.entriesChecked + ledger.accountsChecked;
  const findings: Array<LedgerFinding | BooksFinding> = [...ledger.findings];
  let count = ledger.findingsCount;
  const add = (found: readonly BooksFinding[]) => {
    count += found.length;
    for (const finding of found) if (findings.length < findingsMax) findings.push(finding);
  };
  const batchSize = options.batchSize ?? batchSizeDefault;
  let invoicesChecked = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await selectInvoiceBooksBatch(db, after, batchSize);
    for (const row of rows) add(invoiceBooksFindings(row));
    invoicesChecked += rows.length;
    options.onProgress?.(ledgerItems + invoicesChecked,
      ledgerItems + Math.max(invoiceCount, invoicesChecked));
    after = rows.at(-1)?.id;
    if (rows.length < batchSize) break;
  }
  add((await selectCreditDisagreements(db, findingsMax)).map((row) => ({
    rule: 'PAYER_CREDIT_DIFFERS_FROM_OVERPAYMENTS', subject: `payer ${row.holder}`,
    detail: `credit ${row.actualMinor}, overpaid ${row.expectedMinor} (${row.currency} minor)`,
  })));
  add((await selectSuspenseDisagreements(db)).map((row) => ({
    rule: 'SUSPENSE_DIFFERS_FROM_PAYMENTS_HELD', subject: `suspense (${row.currency})`,
    detail: `balance ${row.actualMinor}, payments held ${row.expectedMinor} (minor)`,
  })));
  add((await selectReceiptDisagreements(db, findingsMax)).map((row) => ({
    rule: 'PAYMENT_RECEIPT_ENTRY_WRONG',
    subject: `payment ${row.paymentId}${row.receipt === '' ? '' : ` (${row.receipt})`}`,
    detail: row.problem,
  })));
  add((await selectRefundDisagreements(db)).map((row) => row.rule === 'payable' ? {
    rule: 'REFUNDS_PAYABLE_DIFFERS_FROM_REFUNDS_OWED', subject: `refunds payable (${row.currency})`,
    detail: `balance ${row.actualMinor}, refunds owed ${row.expectedMinor} (minor)`,
  } as const : {
    rule: 'REFUNDS_PAID_DIFFER_FROM_PAYOUTS', subject: `refunds paid (${row.currency})`,
    detail: `REFUND_PAID_OUT ${row.actualMinor}, refunds paid ${row.expectedMinor} (minor)`,
  } as const));
  return { ...ledger, invoicesChecked, findings, findingsCount: count, ok: count === 0 };
}
