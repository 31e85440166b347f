/**
 * The bank payment file of a released batch, and `huduma ledger check`'s settlement half:
 * every line equals the sum of its entries, and each entry amount is the ledger's; no entry in
 * two batches (also the table's key); settlement-clearing holds exactly the lines released and
 * not yet settled or returned.
 */
import { sql, type Kysely } from 'kysely';
import { toMajorString, money } from '#platform/money/index.ts';
import { listLines, type BatchRow } from './settlement-repo.ts';
import { settlementDb } from './settlement-repo.ts';

function csvField(value: string): string {
  // Quote every field; a leading = + - @ could run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export const bankFileHeader = ['payee', 'bank_code', 'account_number', 'account_name', 'amount',
  'currency', 'batch_reference', 'narration'];

/** The bank payment file: one line per payee account, amounts in major units, two decimals. */
export async function bankFileCsv<DB>(db: Kysely<DB>, batch: BatchRow): Promise<string> {
  const lines = await listLines(settlementDb(db), batch.id);
  const rows = lines.filter((line) => line.state !== 'returned').map((line) => [
    line.payee_name, line.bank_code, line.account_number, line.account_name,
    toMajorString(money(line.amount_minor, line.currency)), line.currency, batch.reference,
    `Huduma settlement ${batch.reference} to ${batch.cutoff.toISOString().slice(0, 10)}`,
  ]);
  return [bankFileHeader, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') +
    '\r\n';
}

export type SettlementFinding = Readonly<{ rule: string; subject: string; detail: string }>;

/** What disagrees in the settlement books (empty when all holds). */
export async function checkSettlement<DB>(db: Kysely<DB>): Promise<SettlementFinding[]> {
  const findings: SettlementFinding[] = [];
  const lines = await sql<{ id: string; amount: string; entries: string }>`
    select l.id, l.amount_minor::text as amount,
      coalesce((select sum(e.amount_minor) from settlement_entry e where e.line_id = l.id), 0)::text
        as entries
    from settlement_line l
    where l.state <> 'cancelled' and l.amount_minor <> coalesce((select sum(e.amount_minor)
      from settlement_entry e where e.line_id = l.id), 0) limit 100`.execute(db);
  for (const row of lines.rows) {
    findings.push({ rule: 'settlement-line-equals-entries', subject: `settlement-line:${row.id}`,
      detail: `line ${row.amount}, entries ${row.entries}` });
  }
  const entries = await sql<{ entry_id: string; account_code: string }>`
    select s.entry_id, s.account_code from settlement_entry s
    where s.amount_minor <> (select coalesce(sum(case l.side when 'credit' then l.amount_minor
      else -l.amount_minor end), 0) from ledger_line l
      where l.entry_id = s.entry_id and l.account_code = s.account_code) limit 100`.execute(db);
  for (const row of entries.rows) {
    findings.push({ rule: 'settlement-entry-equals-ledger', subject: `ledger-entry:${row.entry_id}`,
      detail: `the amount recorded on ${row.account_code} differs from the ledger's` });
  }
  const clearing = await sql<{ currency: string; expected: string; actual: string }>`
    with expected as (select currency, sum(amount_minor) as amount from settlement_line
      where state = 'released' group by currency),
    actual as (select currency, sum(case side when 'credit' then amount_minor
      else -amount_minor end) as amount from ledger_line
      where account_code = 'settlement-clearing' group by currency)
    select coalesce(e.currency, a.currency) as currency, coalesce(e.amount, 0)::text as expected,
      coalesce(a.amount, 0)::text as actual
    from expected e full join actual a on a.currency = e.currency
    where coalesce(e.amount, 0) <> coalesce(a.amount, 0)`.execute(db);
  for (const row of clearing.rows) {
    findings.push({ rule: 'settlement-clearing-equals-released', subject: 'settlement-clearing',
      detail: `${row.currency}: released and unsettled ${row.expected}, clearing ${row.actual}` });
  }
  return findings;
}
