/**
 * What must hold after the crash run, read from the database with nothing trusted: every
 * payment the stream sent (and saw answered 200) is recorded exactly once with its amount and
 * destination; every invoice's books are what one-at-a-time arrival gives (received below the
 * total: all of it in the invoice's deposits, no covered entry; at or above: exactly one
 * covered entry, empty deposits, the excess and every later payment in the payer's credit);
 * the paybill's collection account holds what was sent, suspense what matched no invoice; no
 * callback is left unprocessed; and `huduma ledger check` (checkLedger) finds nothing.
 */
import { sql, type Kysely } from 'kysely';
import { accountCodes, balanceOf, checkLedger } from '#modules/ledger/index.ts';
import type { SentPayment } from './crash-stream.ts';

export type CrashCheckReport = Readonly<{
  problems: readonly string[];
  receiptsChecked: number;
  invoicesChecked: number;
  invoicesCovered: number;
  invoicesPartPaid: number;
  sentMinor: bigint;
  collectedMinor: bigint;
  ledgerEntries: number;
}>;

type RecordedPayment = {
  receipt: string; count: bigint; amount: bigint; invoice_id: string | null;
  dispositions: string;
};

type InvoiceBooks = {
  id: string; total_minor: bigint; allocated: bigint; credited: bigint; covered: bigint;
  deposits: bigint; credit: bigint;
};

const problemsListedMax = 50;

async function receiptProblems<DB>(db: Kysely<DB>, sent: readonly SentPayment[],
  receiptPrefix: string): Promise<string[]> {
  const recorded = await sql<RecordedPayment>`select provider_reference as receipt,
      count(*) as count, sum(amount_minor)::bigint as amount, max(invoice_id::text) as invoice_id,
      string_agg(disposition, ',') as dispositions
    from payment where provider_reference like ${`${receiptPrefix}%`}
    group by provider_reference`.execute(db);
  const byReceipt = new Map(recorded.rows.map((row) => [row.receipt, row]));
  const problems: string[] = [];
  for (const payment of sent) {
    const row = byReceipt.get(payment.receipt);
    byReceipt.delete(payment.receipt);
    if (row === undefined) {
      problems.push(`receipt ${payment.receipt}: answered 200 but not recorded`);
    } else if (row.count !== 1n) {
      problems.push(`receipt ${payment.receipt}: recorded ${row.count} times`);
    } else if (row.amount !== payment.shillings * 100n) {
      problems.push(`receipt ${payment.receipt}: recorded ${row.amount}, sent ` +
        `${payment.shillings * 100n} minor`);
    } else if (payment.invoiceId === undefined ? row.dispositions !== 'suspense'
      : row.invoice_id !== payment.invoiceId || row.dispositions === 'suspense') {
      problems.push(`receipt ${payment.receipt}: went to ${row.dispositions} ` +
        `${row.invoice_id ?? ''}`);
    }
  }
  for (const receipt of byReceipt.keys()) problems.push(`receipt ${receipt}: never sent`);
  return problems;
}

function invoiceProblem(books: InvoiceBooks, sentMinor: bigint): string | undefined {
  const subject = `invoice ${books.id}`;
  if (books.allocated + books.credited !== sentMinor) {
    return `${subject}: sent ${sentMinor}, allocated ${books.allocated} + credited ` +
      `${books.credited}`;
  }
  const covered = books.allocated >= books.total_minor;
  const expected = covered
    ? { covered: 1n, deposits: 0n, credit: books.allocated - books.total_minor + books.credited }
    : { covered: 0n, deposits: books.allocated, credit: 0n };
  if (!covered && books.credited !== 0n) {
    return `${subject}: ${books.credited} credited to the payer while not yet paid`;
  }
  if (books.covered !== expected.covered || books.deposits !== expected.deposits ||
    books.credit !== expected.credit) {
    return `${subject}: total ${books.total_minor}, allocated ${books.allocated}; ` +
      `covered entries ${books.covered} (expected ${expected.covered}), deposits ` +
      `${books.deposits} (expected ${expected.deposits}), payer credit ${books.credit} ` +
      `(expected ${expected.credit})`;
  }
  return undefined;
}

async function invoiceBooks<DB>(db: Kysely<DB>, ids: readonly string[]): Promise<InvoiceBooks[]> {
  if (ids.length === 0) return [];
  // Account codes as accountCodes.invoiceDeposits / payerCredit build them.
  const result = await sql<InvoiceBooks>`select i.id, i.total_minor,
      coalesce((select sum(p.amount_minor) from payment p where p.invoice_id = i.id
        and p.disposition = 'allocated'), 0)::bigint as allocated,
      coalesce((select sum(p.amount_minor) from payment p where p.invoice_id = i.id
        and p.disposition = 'credited'), 0)::bigint as credited,
      (select count(*) from ledger_entry e
        where e.idempotency_key = 'invoice:' || i.id || ':covered') as covered,
      coalesce((select sum(case when l.side = 'credit' then l.amount_minor
        else -l.amount_minor end) from ledger_line l
        where l.account_code = 'deposits:invoice:' || i.id), 0)::bigint as deposits,
      coalesce((select sum(case when l.side = 'credit' then l.amount_minor
        else -l.amount_minor end) from ledger_line l
        where l.account_code = 'credit:payer:' || i.payer_account_id), 0)::bigint as credit
    from invoice i where i.id = any(${[...ids]}::uuid[]) order by i.id`.execute(db);
  return result.rows;
}

export async function checkAfterCrashes<DB>(db: Kysely<DB>, input: Readonly<{
  sent: readonly SentPayment[];
  receiptPrefix: string;
  invoiceIds: readonly string[];
  shortcode: string;
}>): Promise<CrashCheckReport> {
  const problems = await receiptProblems(db, input.sent, input.receiptPrefix);
  const sentPerInvoice = new Map<string, bigint>();
  let sentMinor = 0n;
  let unknownMinor = 0n;
  for (const payment of input.sent) {
    sentMinor += payment.shillings * 100n;
    if (payment.invoiceId === undefined) unknownMinor += payment.shillings * 100n;
    else {
      sentPerInvoice.set(payment.invoiceId,
        (sentPerInvoice.get(payment.invoiceId) ?? 0n) + payment.shillings * 100n);
    }
  }
  const books = await invoiceBooks(db, input.invoiceIds);
  for (const each of books) {
    const problem = invoiceProblem(each, sentPerInvoice.get(each.id) ?? 0n);
    if (problem !== undefined) problems.push(problem);
  }
  const collected = await balanceOf(db, accountCodes.mpesaCollection(input.shortcode), 'KES');
  if (collected.amountMinor !== sentMinor) {
    problems.push(`paybill collection holds ${collected.amountMinor}, sent ${sentMinor} minor`);
  }
  const suspense = await balanceOf(db, accountCodes.suspense(), 'KES');
  if (suspense.amountMinor !== unknownMinor) {
    problems.push(`suspense holds ${suspense.amountMinor}, sent to unknown references ` +
      `${unknownMinor} minor`);
  }
  const unprocessed = await sql<{ count: bigint }>`select count(*) as count
    from payment_callback_raw r where not exists (select 1 from payment_callback_outcome o
      where o.raw_id = r.id)`.execute(db);
  const left = unprocessed.rows[0]?.count ?? 0n;
  if (left !== 0n) problems.push(`${left} stored callback(s) have no outcome`);
  const ledger = await checkLedger(db);
  for (const finding of ledger.findings) {
    problems.push(`ledger check: ${finding.rule} ${finding.subject}: ${finding.detail}`);
  }
  return {
    problems: problems.slice(0, problemsListedMax),
    receiptsChecked: input.sent.length,
    invoicesChecked: books.length,
    invoicesCovered: books.filter((each) => each.allocated >= each.total_minor).length,
    invoicesPartPaid: books.filter((each) =>
      each.allocated > 0n && each.allocated < each.total_minor).length,
    sentMinor,
    collectedMinor: collected.amountMinor,
    ledgerEntries: ledger.entriesChecked,
  };
}
