/**
 * The precomputed daily totals (migration 202612050400, docs/decisions/0010): a trigger on
 * ledger_line adds each statement's aggregate as append-only delta rows in the posting's own
 * transaction; foldDailyTotals moves the deltas into the totals tables, one fold at a time.
 * Every read is totals + deltas in one statement, so it is exact at every instant.
 * checkDailyTotals proves it against the raw GROUP BY over the ledger (`huduma ledger check`).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';

/** The advisory lock that lets one fold run at a time (other processes skip their turn). */
export const foldLockKey = 7_410_512_004;

export type FoldReport = Readonly<{ folded: boolean; collectionRows: number;
  movementRows: number }>;

/** Collections (totals + unfolded deltas) as one relation, for a single-statement read. */
export const collectionRows: RawBuilder<unknown> = sql`(
  select day, agency_id, service_id, channel, currency, amount_minor, receipt_count
    from reporting_collection_total
  union all
  select day, agency_id, service_id, channel, currency, amount_minor, receipt_count
    from reporting_collection_delta)`;

/** Movements (totals + unfolded deltas) as one relation. */
export const movementRows: RawBuilder<unknown> = sql`(
  select day, entry_code, account, currency, debit_minor, credit_minor, line_count
    from reporting_movement_total
  union all
  select day, entry_code, account, currency, debit_minor, credit_minor, line_count
    from reporting_movement_delta)`;

/**
 * Moves every committed delta row into the totals. Safe from several processes at once (one
 * folds, the others skip) and at any moment: each delta row is deleted and added to its total
 * in one statement, so a reader sees it in exactly one of the two tables.
 */
export async function foldDailyTotals<DB>(db: Kysely<DB>): Promise<FoldReport> {
  return db.transaction().execute(async (trx) => {
    const locked = await sql<{ locked: boolean }>`
      select pg_try_advisory_xact_lock(${foldLockKey}::int8) as locked`.execute(trx);
    if (locked.rows[0]?.locked !== true) {
      return { folded: false, collectionRows: 0, movementRows: 0 };
    }
    const collections = await sql`
      with moved as (delete from reporting_collection_delta returning *)
      insert into reporting_collection_total as t
        (day, agency_id, service_id, channel, currency, amount_minor, receipt_count)
      select day, agency_id, service_id, channel, currency, sum(amount_minor)::int8,
        sum(receipt_count)::int8
      from moved group by day, agency_id, service_id, channel, currency
      order by day, agency_id, service_id, channel, currency
      on conflict on constraint reporting_collection_total_key do update
        set amount_minor = t.amount_minor + excluded.amount_minor,
          receipt_count = t.receipt_count + excluded.receipt_count`.execute(trx);
    const movements = await sql`
      with moved as (delete from reporting_movement_delta returning *)
      insert into reporting_movement_total as t
        (day, entry_code, account, currency, debit_minor, credit_minor, line_count)
      select day, entry_code, account, currency, sum(debit_minor)::int8,
        sum(credit_minor)::int8, sum(line_count)::int8
      from moved group by day, entry_code, account, currency
      order by day, entry_code, account, currency
      on conflict on constraint reporting_movement_total_key do update
        set debit_minor = t.debit_minor + excluded.debit_minor,
          credit_minor = t.credit_minor + excluded.credit_minor,
          line_count = t.line_count + excluded.line_count`.execute(trx);
    return { folded: true, collectionRows: Number(collections.numAffectedRows ?? 0n),
      movementRows: Number(movements.numAffectedRows ?? 0n) };
  });
}

export type DailyTotalsFinding = Readonly<{ rule: 'REPORTING_TOTALS_MATCH_LEDGER';
  subject: string; detail: string }>;

/** The ledger's collections by the totals' key, straight from the lines (the raw GROUP BY). */
export const rawCollections: RawBuilder<unknown> = sql`(
  select reporting_kenya_day(e.occurred_at) as day, i.agency_id, i.service_id,
    l.account_code as channel, l.currency,
    sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end)::int8
      as amount_minor,
    sum(case when l.side = 'debit' then 1 else -1 end)::int8 as receipt_count
  from ledger_line l
  join ledger_entry e on e.id = l.entry_id
  left join ledger_entry c on c.id = e.corrects_entry_id
  left join invoice i on i.id = (case
    when coalesce(e.reference ->> 'invoiceId', c.reference ->> 'invoiceId')
      ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    then coalesce(e.reference ->> 'invoiceId', c.reference ->> 'invoiceId')::uuid end)
  where l.account_code like 'collection:%' and l.account_code <> 'collection:treasury-bank'
    and (e.code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER',
                    'RECEIPT_HELD_IN_SUSPENSE')
      or c.code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'RECEIPT_CREDITED_TO_PAYER',
                    'RECEIPT_HELD_IN_SUSPENSE'))
  group by 1, 2, 3, 4, 5)`;

/** The ledger's movements by the totals' key, straight from the lines. */
export const rawMovements: RawBuilder<unknown> = sql`(
  select reporting_kenya_day(e.occurred_at) as day, e.code as entry_code,
    reporting_account_of(l.account_code) as account, l.currency,
    coalesce(sum(l.amount_minor) filter (where l.side = 'debit'), 0)::int8 as debit_minor,
    coalesce(sum(l.amount_minor) filter (where l.side = 'credit'), 0)::int8 as credit_minor,
    count(*)::int8 as line_count
  from ledger_line l join ledger_entry e on e.id = l.entry_id
  group by 1, 2, 3, 4)`;

const findingsMax = 100;

/**
 * Every key where the totals (+ unfolded deltas) differ from the raw aggregate over the
 * ledger; empty when the totals are exact. Reads in one REPEATABLE READ transaction, so both
 * sides see the same committed ledger.
 */
export async function checkDailyTotals<DB>(db: Kysely<DB>): Promise<DailyTotalsFinding[]> {
  return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const collections = await sql<{ key: string; raw: string | null; kept: string | null }>`
      with kept as (
        select day, agency_id, service_id, channel, currency,
          sum(amount_minor)::int8 as amount_minor, sum(receipt_count)::int8 as receipt_count
        from ${collectionRows} k group by 1, 2, 3, 4, 5)
      select concat_ws(' ', coalesce(r.day, k.day), coalesce(r.agency_id, k.agency_id),
          coalesce(r.service_id, k.service_id), coalesce(r.channel, k.channel),
          coalesce(r.currency, k.currency)) as key,
        concat(r.amount_minor, '/', r.receipt_count) as raw,
        concat(k.amount_minor, '/', k.receipt_count) as kept
      from ${rawCollections} r full join kept k
        on k.day = r.day and k.agency_id is not distinct from r.agency_id
        and k.service_id is not distinct from r.service_id and k.channel = r.channel
        and k.currency = r.currency
      where coalesce(r.amount_minor, 0) <> coalesce(k.amount_minor, 0)
        or coalesce(r.receipt_count, 0) <> coalesce(k.receipt_count, 0)
      limit ${findingsMax}`.execute(trx);
    const movements = await sql<{ key: string; raw: string | null; kept: string | null }>`
      with kept as (
        select day, entry_code, account, currency, sum(debit_minor)::int8 as debit_minor,
          sum(credit_minor)::int8 as credit_minor, sum(line_count)::int8 as line_count
        from ${movementRows} k group by 1, 2, 3, 4)
      select concat_ws(' ', coalesce(r.day, k.day), coalesce(r.entry_code, k.entry_code),
          coalesce(r.account, k.account), coalesce(r.currency, k.currency)) as key,
        concat(r.debit_minor, '/', r.credit_minor, '/', r.line_count) as raw,
        concat(k.debit_minor, '/', k.credit_minor, '/', k.line_count) as kept
      from ${rawMovements} r full join kept k
        on k.day = r.day and k.entry_code = r.entry_code and k.account = r.account
        and k.currency = r.currency
      where coalesce(r.debit_minor, 0) <> coalesce(k.debit_minor, 0)
        or coalesce(r.credit_minor, 0) <> coalesce(k.credit_minor, 0)
        or coalesce(r.line_count, 0) <> coalesce(k.line_count, 0)
      limit ${findingsMax}`.execute(trx);
    const finding = (kind: string) => (row: { key: string; raw: string | null;
      kept: string | null }): DailyTotalsFinding => ({ rule: 'REPORTING_TOTALS_MATCH_LEDGER',
      subject: `${kind} ${row.key}`,
      detail: `ledger ${row.raw ?? 'none'}, totals ${row.kept ?? 'none'}` });
    return [...collections.rows.map(finding('collections')),
      ...movements.rows.map(finding('movements'))];
  });
}

/**
 * Where a report reads: 'totals' (the precomputed daily totals, what the pages use) or
 * 'ledger' (the same answer by a GROUP BY over every ledger line: the check and the bench).
 */
export type ReportSource = 'totals' | 'ledger';

export function sourceOf(source: ReportSource): Readonly<{ collections: RawBuilder<unknown>;
  movements: RawBuilder<unknown> }> {
  return source === 'totals'
    ? { collections: collectionRows, movements: movementRows }
    : { collections: rawCollections, movements: rawMovements };
}
