/**
 * Settlement SQL. Functions ending in InTrx run in the caller's transaction. The ledger's
 * lines are read (never written) here with plain SQL: the entries a batch fixes.
 */
import { sql, type Kysely } from 'kysely';
import type { Currency } from '#platform/money/index.ts';
import type {
  SettlementBatchTable,
  SettlementLineTable,
  SettlementProfileTable,
  SettlementTables,
} from './settlement-tables.ts';

export type SettlementDb = Kysely<SettlementTables>;

export function settlementDb(db: Readonly<{ isTransaction: boolean }>): SettlementDb {
  return db as unknown as SettlementDb;
}

export type ProfileRow = SettlementProfileTable;
export type BatchRow = SettlementBatchTable;
export type LineRow = SettlementLineTable;

/** Takes the currency's preparation lock (created on first use) until the transaction ends. */
export async function lockCurrencyInTrx(trx: SettlementDb, currency: Currency): Promise<void> {
  await trx.insertInto('settlement_lock').values({ currency })
    .onConflict((conflict) => conflict.column('currency').doNothing()).execute();
  await trx.selectFrom('settlement_lock').select('currency').where('currency', '=', currency)
    .forUpdate().executeTakeFirstOrThrow();
}

/** One ledger entry's signed amount on a payee account, not yet in any batch. */
export type UnbatchedEntry = Readonly<{
  entryId: string;
  accountCode: string;
  amountMinor: bigint;
  occurredAt: Date;
}>;

/**
 * The entries on payee accounts (payable:agency:*, revenue:access-fee) in this currency,
 * occurred by the payee's cut-off (the batch cut-off, less the days beyond T+1 of the payee's
 * schedule), in no batch yet; the settlement's own release entries are not payee income.
 * Corrections (a negative net on the account) are taken whatever their time, so a batch never
 * pays a payee more than it is owed when the batch is prepared.
 */
export async function selectUnbatchedInTrx(
  trx: SettlementDb,
  input: Readonly<{ currency: Currency; cutoff: Date }>,
): Promise<UnbatchedEntry[]> {
  const result = await sql<{ entry_id: string; account_code: string; amount: string;
    occurred_at: Date }>`
    select l.entry_id, l.account_code, e.occurred_at,
      sum(case l.side when 'credit' then l.amount_minor else -l.amount_minor end)::text as amount
    from ledger_line l join ledger_entry e on e.id = l.entry_id
    left join settlement_profile p on p.payee = case when l.account_code = 'revenue:access-fee'
      then 'treasury' else substr(l.account_code, length('payable:agency:') + 1) end
    where l.currency = ${input.currency}
      and (l.account_code like 'payable:agency:%' or l.account_code = 'revenue:access-fee')
      and e.code <> 'SETTLEMENT_RELEASED_TO_BANK'
      and not exists (select 1 from settlement_entry s
        where s.entry_id = l.entry_id and s.account_code = l.account_code)
    group by l.entry_id, l.account_code, e.occurred_at, p.schedule_days
    having e.occurred_at <= ${input.cutoff}::timestamptz
        - make_interval(days => greatest(coalesce(p.schedule_days, 1) - 1, 0))
      or sum(case l.side when 'credit' then l.amount_minor else -l.amount_minor end) < 0
    order by e.occurred_at, l.entry_id`.execute(trx);
  return result.rows.map((row) => ({ entryId: row.entry_id, accountCode: row.account_code,
    amountMinor: BigInt(row.amount), occurredAt: row.occurred_at }));
}

export async function listProfiles(db: SettlementDb): Promise<ProfileRow[]> {
  return db.selectFrom('settlement_profile').selectAll().orderBy('payee').execute();
}

export async function upsertProfileInTrx(trx: SettlementDb, profile: ProfileRow): Promise<void> {
  await trx.insertInto('settlement_profile').values(profile)
    .onConflict((conflict) => conflict.column('payee').doUpdateSet({
      bank_name: profile.bank_name, bank_code: profile.bank_code, branch: profile.branch,
      account_number: profile.account_number, account_name: profile.account_name,
      schedule_days: profile.schedule_days, sla_days: profile.sla_days,
      updated_at: profile.updated_at,
    })).execute();
}

export async function findBatch(db: SettlementDb, batchId: string): Promise<BatchRow | undefined> {
  return db.selectFrom('settlement_batch').selectAll().where('id', '=', batchId)
    .executeTakeFirst();
}

export async function findBatchByScheduleKey(db: SettlementDb, key: string):
  Promise<BatchRow | undefined> {
  return db.selectFrom('settlement_batch').selectAll().where('schedule_key', '=', key)
    .executeTakeFirst();
}

/** Locks the batch row, then reads it in a new statement. */
export async function lockBatchInTrx(trx: SettlementDb, batchId: string):
  Promise<BatchRow | undefined> {
  const locked = await trx.selectFrom('settlement_batch').select('id').where('id', '=', batchId)
    .forUpdate().executeTakeFirst();
  return locked === undefined ? undefined : findBatch(trx, batchId);
}

export async function listBatches(db: SettlementDb, page: Readonly<{ limit: number;
  offset: number }>): Promise<BatchRow[]> {
  return db.selectFrom('settlement_batch').selectAll().orderBy('prepared_at', 'desc')
    .orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
}

export async function listLines(db: SettlementDb, batchId: string): Promise<LineRow[]> {
  return db.selectFrom('settlement_line').selectAll().where('batch_id', '=', batchId)
    .orderBy('payee_name').orderBy('id').execute();
}

export async function findLine(db: SettlementDb, lineId: string): Promise<LineRow | undefined> {
  return db.selectFrom('settlement_line').selectAll().where('id', '=', lineId).executeTakeFirst();
}

export async function listApprovals(db: SettlementDb, batchId: string):
  Promise<{ approvedBy: string; approvedAt: Date }[]> {
  const rows = await db.selectFrom('settlement_approval').select(['approved_by', 'approved_at'])
    .where('batch_id', '=', batchId).orderBy('approved_at').execute();
  return rows.map((row) => ({ approvedBy: row.approved_by, approvedAt: row.approved_at }));
}

export type BatchSummary = BatchRow & Readonly<{ totalMinor: bigint; lines: number }>;

/**
 * Batches, newest first, with their total and line count; with a payee (an agency's staff),
 * only batches paying it, and only its own line counted.
 */
export async function listBatchSummaries(db: SettlementDb, input: Readonly<{
  payee: string | undefined; limit: number; offset: number }>): Promise<BatchSummary[]> {
  let query = db.selectFrom('settlement_batch as b')
    .innerJoin('settlement_line as l', 'l.batch_id', 'b.id')
    .selectAll('b')
    .select([sql<string>`sum(l.amount_minor)::text`.as('total'),
      sql<number>`count(l.id)::int`.as('line_count')])
    .groupBy('b.id');
  if (input.payee !== undefined) query = query.where('l.payee', '=', input.payee);
  const rows = await query.orderBy('b.prepared_at', 'desc').orderBy('b.id', 'desc')
    .limit(input.limit).offset(input.offset).execute();
  return rows.map(({ total, line_count: lines, ...batch }) => ({ ...batch,
    totalMinor: BigInt(total), lines }));
}
