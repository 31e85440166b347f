/**
 * Matching a run's staged lines, set-based (a few statements whatever the number of lines):
 * every line gets exactly one class, in this order, each step taking only lines still without
 * one: not completed -> duplicate (the receipt earlier in this run, or in an earlier import
 * with other facts) -> paid in: matched or mismatch (against payment.provider_reference), else
 * missing callback -> withdrawn: sweep, charge, refund payout (against REFUND_PAID_OUT entries
 * by reference.providerReceipt) or mismatch, else unknown withdrawal. Then, once the run's own
 * postings are made: what the ledger posted for each line, the balance proof, and the findings.
 */
import { sql, type RawBuilder } from 'kysely';
import { accountCodes, entryCodes } from '#modules/ledger/index.ts';
import type { AnyKysely } from './reconciliation-tables.ts';
import type { BalanceSteps } from './staged-facts.ts';
import type { StatementLine } from './statement-csv.ts';

export const reasonTypes = {
  b2c: 'Business Payment to Customer via API',
  reversal: 'Reversal',
  charge: 'Business Payment Charge',
  sweep: 'Organization Withdrawal to Bank',
} as const;

const normalised = (column: string) =>
  sql.raw(`upper(regexp_replace(${column}, '[[:space:]-]', '', 'g'))`);

/**
 * Writes a batch of lines in one statement (a JSON record set: parameters per statement are
 * limited). See insertClassifiedFromInTrx.
 */
export async function insertClassifiedLinesInTrx(trx: AnyKysely, runId: string,
  shortcode: string, lines: readonly StatementLine[]): Promise<void> {
  if (lines.length === 0) return;
  const rows = JSON.stringify(lines.map((line) => ({
    n: line.lineNumber, r: line.receipt, t: line.completedAt.toISOString(),
    i: line.paidInMinor.toString(), w: line.withdrawnMinor.toString(),
    b: line.balanceMinor?.toString() ?? null, s: line.transactionStatus, y: line.reasonType,
    k: line.linkedReceipt, a: line.accountReference, x: line.raw,
  })));
  await insertClassifiedFromInTrx(trx, runId, shortcode, sql`select n, r, t, i::int8 as i,
      w::int8 as w, b::int8 as b, s, y, k, a, x, lower(s) = 'completed' as completed
    from json_to_recordset(${rows}::json) as r0 (n int, r text, t timestamptz, i text,
      w text, b text, s text, y text, k text, a text, x text)`);
}

/** The columns of reconciliation_line a staged line is written with, in classifiedRows' order. */
export const stagedLineColumns = ['run_id', 'line_number', 'receipt', 'completed_at',
  'paid_in_minor', 'withdrawn_minor', 'balance_minor', 'transaction_status', 'reason_type',
  'linked_receipt', 'account_reference', 'raw', 'class', 'payment_id', 'ledger_minor',
  'note'] as const;

/** Writes the lines of `source` classified (classifiedRows) in one INSERT ... SELECT. */
export async function insertClassifiedFromInTrx(trx: AnyKysely, runId: string,
  shortcode: string, source: RawBuilder<unknown>): Promise<void> {
  await sql`insert into reconciliation_line (${sql.raw(stagedLineColumns.join(', '))})
    ${classifiedRows(runId, shortcode, source)}`.execute(trx);
}

const runIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const shortcodePattern = /^[0-9]{5,7}$/;

/**
 * The lines of `source` (columns n line number, r receipt, t completion time, i paid in,
 * w withdrawn, b balance, s status, y reason type, k linked receipt, a account reference,
 * completed, and x the line verbatim: kept only for lines that are not matched) as rows of
 * reconciliation_line (stagedLineColumns, each of the column's type), classified where one
 * look decides: not completed; paid in: matched or mismatch against
 * payment.provider_reference, else missing callback; sweep and charge by their Reason Type. A
 * matched line's ledger amount is its payment's if the payment is this shortcode's, else 0
 * (the books check proves each payment has exactly one receipt entry, of its amount; the
 * receipt posting rules debit the collection account with it): the ledger is not read for a
 * million matched lines, only by recordLedgerAmountsInTrx for the few others. What needs the
 * whole run (duplicates, refund payouts, unknown withdrawals) is classifyRestInTrx's. A query
 * without parameters (the run and shortcode are checked literals): PostgreSQL's path COPYs its
 * rows (statement-copy.ts), and COPY takes none (decision 0019).
 */
export function classifiedRows(runId: string, shortcode: string, source: RawBuilder<unknown>):
  RawBuilder<unknown> {
  if (!runIdPattern.test(runId) || !shortcodePattern.test(shortcode)) {
    throw new Error('a run id and a shortcode of digits only');
  }
  return sql`select ${sql.lit(runId)}::uuid, n, r, t, i, w, b, s, y, k, a,
      case when class = 'matched' then null else x end, class, payment_id,
      case when class = 'matched' then case when payment_shortcode = ${sql.lit(shortcode)}
        then payment_minor else 0 end end, note
    from (${classifiedLines(source)}) c`;
}

/** The source's lines, classified where one look decides (classifiedRows). */
function classifiedLines(source: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select j.*, p.id as payment_id,
      case when not j.completed then 'not_completed'
        when j.i > 0 and p.id is null then 'missing_callback'
        when j.i > 0 and p.amount_minor = j.i and p.currency = 'KES'
          and case when p.account_reference = j.a then true
            else ${normalised('p.account_reference')} = ${normalised('j.a')} end then 'matched'
        when j.i > 0 then 'mismatch'
        when j.y = ${sql.lit(reasonTypes.sweep)} then 'sweep'
        when j.y = ${sql.lit(reasonTypes.charge)} then 'charge' end as class,
      p.shortcode as payment_shortcode, p.amount_minor as payment_minor,
      case when not j.completed then 'the provider reports this transaction as ' || j.s
        when j.i > 0 and p.id is null then 'in the statement, never called back'
        when p.amount_minor <> j.i or p.currency <> 'KES' then 'the platform recorded ' ||
          p.amount_minor || ' ' || p.currency || ' cents, the statement ' || j.i
        when p.account_reference <> j.a
          and ${normalised('p.account_reference')} <> ${normalised('j.a')}
          then 'the platform recorded another account reference' end as note
    from (${source}) j
    left join payment p on j.completed and j.i > 0 and p.provider = 'mpesa'
      and p.provider_reference = j.r
    -- A level of its own: each class and note computed once, not where each is used.
    offset 0`;
}

/**
 * Classifies what needs the whole run: a receipt seen earlier in this run (or, with other
 * facts, in an earlier completed import) is a duplicate, whatever it was classified as;
 * withdrawals by B2C or reversal are refund payouts (or mismatches) when a REFUND_PAID_OUT
 * entry names their receipt; any line still without a class is an unknown withdrawal.
 */
export async function classifyRestInTrx(trx: AnyKysely, runId: string, shortcode: string,
  options: Readonly<{ earlierRuns: boolean; mayRepeat: boolean; withdrawals: boolean }>):
  Promise<void> {
  // Most statements repeat no receipt: the reader's fingerprints say so (mayRepeat false: no
  // two lines, of any status, share a receipt and direction), and nothing is read or updated.
  if (options.mayRepeat) await markRepeatsInTrx(trx, runId);
  if (options.earlierRuns) {
    await sql`update reconciliation_line l set class = 'duplicate', payment_id = null,
        ledger_minor = 0, note = 'receipt already imported (run ' || e.run_id || ', line ' ||
          e.line_number || ') with another time or amount'
      from reconciliation_line e join reconciliation_run r on r.id = e.run_id
      where l.run_id = ${runId} and l.class is distinct from 'duplicate'
        and l.class is distinct from 'not_completed' and e.receipt = l.receipt
        and e.run_id <> ${runId} and r.status = 'completed' and r.shortcode = ${shortcode}
        and e.class is distinct from 'duplicate'
        and (e.paid_in_minor > 0) = (l.paid_in_minor > 0)
        and (e.completed_at, e.paid_in_minor, e.withdrawn_minor)
          is distinct from (l.completed_at, l.paid_in_minor, l.withdrawn_minor)`.execute(trx);
  }
  // Staging classifies every line paid in: without a withdrawal no line is left.
  if (options.withdrawals) await classifyWithdrawnInTrx(trx, runId, shortcode);
}

/** A receipt on an earlier line of the run (the same direction): the later lines repeat it. */
async function markRepeatsInTrx(trx: AnyKysely, runId: string): Promise<void> {
  await sql`update reconciliation_line l set class = 'duplicate', payment_id = null,
      ledger_minor = 0, note = 'receipt already on line ' || d.first_line || ' of this statement'
    from (select line_number, first_value(line_number) over w as first_line,
        row_number() over w as position
      from reconciliation_line
      where run_id = ${runId} and class is distinct from 'not_completed' and receipt in (
        select receipt from reconciliation_line where run_id = ${runId}
        group by receipt having count(*) > 1)
      window w as (partition by receipt, (paid_in_minor > 0) order by line_number)) d
    where l.run_id = ${runId} and l.line_number = d.line_number and d.position > 1`
    .execute(trx);
}

async function classifyWithdrawnInTrx(trx: AnyKysely, runId: string, shortcode: string):
  Promise<void> {
  const collection = accountCodes.mpesaCollection(shortcode);
  await sql`update reconciliation_line l set
      class = case when x.amount_minor = l.withdrawn_minor then 'refund_payout'
        else 'mismatch' end,
      note = case when x.amount_minor <> l.withdrawn_minor
        then 'the refund paid out ' || x.amount_minor || ' cents, the statement ' ||
          l.withdrawn_minor end
    from (select e.reference ->> 'providerReceipt' as receipt, sum(ll.amount_minor) as amount_minor
      from ledger_entry e join ledger_line ll on ll.entry_id = e.id
      where e.code = ${entryCodes.refundPaidOut} and ll.side = 'credit'
        and ll.account_code = ${collection} and ll.currency = 'KES'
      group by 1) x
    where l.run_id = ${runId} and l.class is null and l.withdrawn_minor > 0
      and l.reason_type in (${reasonTypes.b2c}, ${reasonTypes.reversal})
      and x.receipt in (l.receipt, 'mpesa:' || l.receipt)`.execute(trx);
  await sql`update reconciliation_line set class = 'unknown_withdrawal',
      note = 'a withdrawal the platform has no record of (' || reason_type || ')'
    where run_id = ${runId} and class is null`.execute(trx);
}

/**
 * What the ledger posted to the collection account for each line not yet known (in
 * positive, out negative), by the idempotency keys the postings use (receipts, sweeps,
 * charges) and, for refund payouts, by reference.providerReceipt. Nothing posted: 0.
 */
export async function recordLedgerAmountsInTrx(trx: AnyKysely, runId: string, shortcode: string):
  Promise<void> {
  const collection = accountCodes.mpesaCollection(shortcode);
  await sql`update reconciliation_line l set ledger_minor = x.amount_minor
    from (select l2.line_number, coalesce(sum(case when ll.side = 'debit' then ll.amount_minor
          else -ll.amount_minor end), 0) as amount_minor
      from reconciliation_line l2
      left join ledger_entry e on e.idempotency_key = case
        when l2.class in ('matched', 'missing_callback', 'mismatch') and l2.paid_in_minor > 0
          then 'mpesa:' || l2.receipt || ':receipt'
        when l2.class = 'sweep' then 'sweep:' || l2.receipt
        when l2.class = 'charge' then 'provider-charge:mpesa:' || l2.receipt end
      left join ledger_line ll on ll.entry_id = e.id
        and ll.account_code = ${collection} and ll.currency = 'KES'
      where l2.run_id = ${runId} and l2.ledger_minor is null and l2.class <> 'refund_payout'
        and (l2.class is null or l2.class <> 'matched')
      group by l2.line_number) x
    where l.run_id = ${runId} and l.line_number = x.line_number`.execute(trx);
  await sql`update reconciliation_line l set ledger_minor = -l.withdrawn_minor
    where l.run_id = ${runId} and l.class = 'refund_payout'`.execute(trx);
}

/**
 * The balance proof (LEDGER invariant 3): the ledger's balance of the collection account
 * before the window plus what it posted for the lines so far must equal the statement's
 * Balance after each line. A finding where the difference changes (it starts, grows, shrinks
 * or ends), naming the line and the lines around it. With the reader's BalanceSteps (every
 * line has a Balance) only the lines where the difference can change are read; without, a
 * window over every line.
 */
export async function balanceFindingsInTrx(trx: AnyKysely, runId: string, shortcode: string,
  now: Date, steps?: BalanceSteps): Promise<void> {
  const run = await sql<{ window_from: Date; newest_first: boolean; balances: boolean;
    gaps: boolean }>`
    select window_from, newest_first, ${steps !== undefined} or exists (
        select 1 from reconciliation_line
        where run_id = ${runId} and balance_minor is not null) as balances,
      ${steps === undefined} and exists (select 1 from reconciliation_line
        where run_id = ${runId} and balance_minor is null) as gaps
    from reconciliation_run where id = ${runId}`.execute(trx);
  const facts = run.rows[0];
  // Pulled transactions carry no balance: nothing to prove.
  if (facts?.balances !== true) return;
  const collection = accountCodes.mpesaCollection(shortcode);
  // In line order (reversed for a file newest first): the primary key's order, no sort.
  const order = sql.raw(facts.newest_first ? 'line_number desc' : 'line_number');
  const opening = sql`select coalesce(sum(case when ll.side = 'debit' then ll.amount_minor
        else -ll.amount_minor end), 0)
      from ledger_line ll join ledger_entry e on e.id = ll.entry_id
      where ll.account_code = ${collection} and ll.currency = 'KES'
        and e.occurred_at < ${facts.window_from}`;
  const changes = steps !== undefined ? changesAtSteps(runId, order, opening, steps)
    : facts.gaps ? changesAfterGaps(runId, order, opening)
      : changesAtEveryLine(runId, order, opening);
  // The lines around one (two before, two after, in the statement's order) through the
  // primary key: read only for the few lines where the difference changes.
  await sql`insert into reconciliation_finding (id, run_id, kind, line_number, amount_minor,
      detail, raised_at)
    select gen_random_uuid(), ${runId}, 'balance_difference', c.line_number, c.difference,
      'after line ' || c.line_number || ' the ledger holds ' || c.ledger_balance ||
      ' cents, the statement ' || c.balance_minor || ' (difference ' || c.difference ||
      ', was ' || c.previous || '); lines around it: ' ||
      (select string_agg(n.line_number::text, ', ' order by ${order}) from (
        (select line_number from reconciliation_line where run_id = ${runId}
          and line_number <= c.line_number order by line_number desc limit 3)
        union all (select line_number from reconciliation_line where run_id = ${runId}
          and line_number > c.line_number order by line_number limit 2)) n), ${now}
    from (${changes}) c where c.difference <> c.previous`.execute(trx);
}

type Sql = RawBuilder<unknown>;

/**
 * Every line with a balance (a statement's usual case): the difference before a line is its
 * ledger balance less its own posting, less the balance the line before shows, all in one
 * window.
 */
function changesAtEveryLine(runId: string, order: Sql, opening: Sql): Sql {
  return sql`select line_number, balance_minor, ledger_balance,
      ledger_balance - balance_minor as difference,
      coalesce(ledger_balance - ledger_step - balance_before, 0) as previous
    from (select line_number, balance_minor, coalesce(ledger_minor, 0) as ledger_step,
        (${opening}) + sum(ledger_minor) over w as ledger_balance,
        lag(balance_minor) over w as balance_before
      from reconciliation_line where run_id = ${runId}
      window w as (order by ${order} rows unbounded preceding)) running`;
}

/** Some lines without a balance: each line is compared with the last one that has one. */
function changesAfterGaps(runId: string, order: Sql, opening: Sql): Sql {
  return sql`select *, coalesce(lag(difference) over (order by ${order}), 0) as previous
    from (select *, ledger_balance - balance_minor as difference from (
        select line_number, balance_minor, (${opening}) + sum(ledger_minor) over w
          as ledger_balance
        from reconciliation_line where run_id = ${runId}
        window w as (order by ${order} rows unbounded preceding)) running
      where balance_minor is not null) compared`;
}

/**
 * The same differences from the few lines where one can change: the first line (the opening
 * balance plus its posting against its Balance), the lines where the ledger posted something
 * other than the line's own Paid In less Withdrawn (a partial index), and the lines where the
 * statement's Balance does not follow from the line before (the reader's steps). Between two
 * of them each line's posting is what its Balance moved by, so the difference stays.
 */
function changesAtSteps(runId: string, order: Sql, opening: Sql, steps: BalanceSteps): Sql {
  const lines = [...steps.steps.keys()];
  const amounts = [...steps.steps.values()].map(String);
  return sql`select line_number, balance_minor, difference + balance_minor as ledger_balance,
      difference, difference - change as previous
    from (select line_number, balance_minor, change,
        sum(change) over (order by ${order} rows unbounded preceding) as difference
      from (select l.line_number, l.balance_minor, case when l.line_number = ${steps.first}
            then (${opening}) + coalesce(l.ledger_minor, 0) - l.balance_minor
            else coalesce(l.ledger_minor, 0) - (l.paid_in_minor - l.withdrawn_minor) -
              coalesce(st.step, 0) end as change
        from (select ${steps.first}::int4 as line_number
            union select unnest(${lines}::int4[])
            union select line_number from reconciliation_line where run_id = ${runId}
              and ledger_minor is distinct from paid_in_minor - withdrawn_minor) k
        join reconciliation_line l on l.run_id = ${runId} and l.line_number = k.line_number
        left join unnest(${lines}::int4[], ${amounts}::int8[]) as st (line_number, step)
          on st.line_number = k.line_number) steps) running`;
}

/** A finding for every line that needs a look (its class says which). */
export async function lineFindingsInTrx(trx: AnyKysely, runId: string, now: Date): Promise<void> {
  await sql`insert into reconciliation_finding (id, run_id, kind, line_number, payment_id,
      receipt, amount_minor, detail, raised_at)
    select gen_random_uuid(), run_id, class, line_number, payment_id, receipt,
      paid_in_minor + withdrawn_minor, coalesce(note, class), ${now}
    from reconciliation_line where run_id = ${runId}
      and class in ('missing_callback', 'mismatch', 'duplicate', 'unknown_withdrawal')`
    .execute(trx);
}

/** Platform payments in the run's window that the statement does not show (alerts). */
export async function platformOnlyFindingsInTrx(trx: AnyKysely, runId: string, shortcode: string,
  now: Date): Promise<void> {
  await sql`insert into reconciliation_finding (id, run_id, kind, payment_id, receipt,
      amount_minor, detail, raised_at)
    select gen_random_uuid(), ${runId}, 'platform_only', p.id, p.provider_reference,
      p.amount_minor, 'recorded by the platform (' || p.channel || ') but not in the statement',
      ${now}
    ${platformOnly(runId, shortcode)}`.execute(trx);
}

/**
 * Whether platformOnlyFindingsInTrx would find any: asked on a session of its own once the
 * lines are staged, while the run goes on (the search is a pass over the window's payments
 * and the run's lines).
 */
export async function hasPlatformOnly(db: AnyKysely, runId: string, shortcode: string):
  Promise<boolean> {
  const found = await sql<{ found: boolean }>`select exists (select 1
    ${platformOnly(runId, shortcode)}) as found`.execute(db);
  return found.rows[0]?.found !== false;
}

function platformOnly(runId: string, shortcode: string): RawBuilder<unknown> {
  return sql`from payment p, reconciliation_run r
    where r.id = ${runId} and p.provider = 'mpesa' and p.shortcode = ${shortcode}
      and p.paid_at between r.window_from and r.window_to
      and not exists (select 1 from reconciliation_line l where l.run_id = ${runId}
        and l.receipt = p.provider_reference)`;
}
