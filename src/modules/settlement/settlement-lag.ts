/**
 * Settlement lag per payee: from collection (the entry's occurred_at) to settlement (the
 * batch settled), median and max over a window, and the age of the oldest entry not yet
 * settled. A payee whose oldest unsettled entry is older than its schedule plus its SLA is in
 * breach: the check (a periodic job) raises an alert, at most one open per payee; a person
 * closes it with a note, audited.
 */
import { sql } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import type { Database } from '#platform/db/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { settlementDb } from './settlement-repo.ts';
import type { SettlementAlertTable } from './settlement-tables.ts';

const dayMs = 86_400_000;
export const lagWindowDays = 30;

export type PayeeLag = Readonly<{
  payee: string;
  settledEntries: number;
  medianHours: number | null;
  maxHours: number | null;
  oldestUnsettledAt: Date | null;
  /** The defaults (T+1, SLA 2 days) when the payee has no profile. */
  scheduleDays: number;
  slaDays: number;
  breached: boolean;
  /** False: money waits for this payee and nothing can pay it (a problem to fix). */
  hasProfile: boolean;
}>;

/** Every payee with settled or unsettled money, its lag and SLA status at `now`. */
export async function measureLag(db: Database, now: Date): Promise<PayeeLag[]> {
  const since = new Date(now.getTime() - lagWindowDays * dayMs);
  const result = await sql<{ payee: string; settled: number; median_hours: number | null;
    max_hours: number | null; oldest: Date | null; schedule_days: number | null;
    sla_days: number | null; has_profile: boolean }>`
    with payee_line as (
      select l.entry_id, l.account_code, e.occurred_at,
        case when l.account_code = 'revenue:access-fee' then 'treasury'
          else substr(l.account_code, length('payable:agency:') + 1) end as payee
      from ledger_line l join ledger_entry e on e.id = l.entry_id
      where (l.account_code like 'payable:agency:%' or l.account_code = 'revenue:access-fee')
        and l.side = 'credit'),
    settled as (
      select s.account_code, extract(epoch from (b.settled_at - s.occurred_at)) / 3600 as hours,
        case when s.account_code = 'revenue:access-fee' then 'treasury'
          else substr(s.account_code, length('payable:agency:') + 1) end as payee
      from settlement_entry s join settlement_line sl on sl.id = s.line_id
      join settlement_batch b on b.id = s.batch_id
      where sl.state = 'settled' and b.settled_at >= ${since}::timestamptz),
    unsettled as (
      select p.payee, min(p.occurred_at) as oldest from payee_line p
      where not exists (select 1 from settlement_entry s
        join settlement_line sl on sl.id = s.line_id
        where s.entry_id = p.entry_id and s.account_code = p.account_code
          and sl.state in ('settled', 'returned'))
      group by p.payee),
    lag as (
      select payee, count(*)::int as settled,
        percentile_cont(0.5) within group (order by hours)::float8 as median_hours,
        max(hours)::float8 as max_hours
      from settled group by payee)
    select coalesce(g.payee, u.payee) as payee, coalesce(g.settled, 0) as settled,
      g.median_hours, g.max_hours, u.oldest, pr.schedule_days, pr.sla_days,
      pr.payee is not null as has_profile
    from lag g full join unsettled u on u.payee = g.payee
    left join settlement_profile pr on pr.payee = coalesce(g.payee, u.payee)
    order by u.oldest nulls last, 1`.execute(db);
  return result.rows.map((row) => {
    const scheduleDays = row.schedule_days ?? 1;
    const slaDays = row.sla_days ?? 2;
    const oldest = row.oldest === null ? null : new Date(row.oldest);
    return {
      payee: row.payee, settledEntries: row.settled,
      medianHours: row.median_hours === null ? null : Number(row.median_hours),
      maxHours: row.max_hours === null ? null : Number(row.max_hours),
      oldestUnsettledAt: oldest, scheduleDays, slaDays, hasProfile: row.has_profile,
      breached: oldest !== null &&
        now.getTime() - oldest.getTime() > (scheduleDays + slaDays) * dayMs,
    };
  });
}

export type SettlementAlert = SettlementAlertTable;

/**
 * Measures the lag, keeps the measure for the dashboards (latestLag, below), and
 * raises an alert for each payee in breach that has none open; returns those raised.
 */
export async function checkSettlementSla(db: Database, now: Date): Promise<SettlementAlert[]> {
  const lags = await measureLag(db, now);
  await storeLagSnapshot(db, lags, now);
  const breached = lags.filter((lag) => lag.breached);
  const raised: SettlementAlert[] = [];
  for (const lag of breached) {
    const alert: SettlementAlert = {
      id: uuidv7(now.getTime()), payee: lag.payee, raised_at: now, closed_at: null,
      closed_by: null, closing_note: null,
      reason: `oldest unsettled collection from ${lag.oldestUnsettledAt?.toISOString() ?? ''}` +
        ` exceeds T+${lag.scheduleDays} plus an SLA of ${lag.slaDays} days`,
    };
    const inserted = await settlementDb(db).transaction().execute(async (trx) => {
      const rows = await trx.insertInto('settlement_alert').values(alert)
        .onConflict((conflict) => conflict.column('payee').where('closed_at', 'is', null)
          .doNothing()).returning('id').execute();
      if (rows.length === 0) return false;
      await recordAuditInTrx(trx, { action: 'SETTLEMENT_SLA_BREACHED',
        actor: { kind: 'system', id: 'settlement' }, subject: { type: 'settlement-alert',
          id: alert.id }, detail: { payee: lag.payee } }, now);
      return true;
    });
    if (inserted) raised.push(alert);
  }
  return raised;
}

export async function listSettlementAlerts(db: Database, state: 'open' | 'closed'):
  Promise<SettlementAlert[]> {
  return settlementDb(db).selectFrom('settlement_alert').selectAll()
    .where('closed_at', state === 'open' ? 'is' : 'is not', null)
    .orderBy('raised_at').limit(200).execute();
}

export type CloseSettlementAlertFailure = Failure<'SETTLEMENT_ALERT_NOT_FOUND' |
  'SETTLEMENT_ALERT_NOTE_REQUIRED'>;

/** Closes an open alert with a note (1 to 1,000 characters), audited. */
export async function closeSettlementAlert(
  db: Database,
  input: Readonly<{ alertId: string; note: string; actor: AuditActor; now: Date }>,
): Promise<Result<true, CloseSettlementAlertFailure>> {
  const note = input.note.trim();
  if (note === '' || note.length > 1000) return err(failure('SETTLEMENT_ALERT_NOTE_REQUIRED'));
  if (!isUuid(input.alertId)) return err(failure('SETTLEMENT_ALERT_NOT_FOUND'));
  return settlementDb(db).transaction().execute(async (trx) => {
    const closed = await trx.updateTable('settlement_alert').set({ closed_at: input.now,
      closed_by: input.actor.id ?? input.actor.kind, closing_note: note })
      .where('id', '=', input.alertId).where('closed_at', 'is', null)
      .returning('id').execute();
    if (closed.length === 0) return err(failure('SETTLEMENT_ALERT_NOT_FOUND'));
    await recordAuditInTrx(trx, { action: 'SETTLEMENT_ALERT_CLOSED', actor: input.actor,
      subject: { type: 'settlement-alert', id: input.alertId }, detail: { note } }, input.now);
    return ok(true as const);
  });
}

// The lag measure kept as the hourly SLA check takes it. measureLag reads every payable line
// of the ledger (seconds on a large one); the Treasury dashboard and the public transparency
// page read this snapshot instead, and say when it was measured. Before the first check has
// run (a new installation) the lag is measured on the spot.

export type MeasuredLag = Readonly<{ measuredAt: Date; lags: readonly PayeeLag[] }>;

/** Replaces the snapshot with `lags`, measured at `now`, in one transaction. */
export async function storeLagSnapshot(db: Database, lags: readonly PayeeLag[], now: Date):
  Promise<void> {
  await settlementDb(db).transaction().execute(async (trx) => {
    await trx.deleteFrom('settlement_lag_snapshot').execute();
    if (lags.length === 0) return;
    await trx.insertInto('settlement_lag_snapshot').values(lags.map((lag) => ({
      payee: lag.payee, settled_entries: lag.settledEntries, median_hours: lag.medianHours,
      max_hours: lag.maxHours, oldest_unsettled_at: lag.oldestUnsettledAt,
      schedule_days: lag.scheduleDays, sla_days: lag.slaDays, breached: lag.breached,
      has_profile: lag.hasProfile, measured_at: now }))).execute();
  });
}

/** The lag as the last SLA check measured it, or measured now when no check has run. */
export async function latestLag(db: Database, now: Date): Promise<MeasuredLag> {
  const rows = await settlementDb(db).selectFrom('settlement_lag_snapshot').selectAll()
    .orderBy('oldest_unsettled_at', (order) => order.asc().nullsLast()).orderBy('payee')
    .execute();
  const measuredAt = rows[0]?.measured_at;
  if (measuredAt === undefined) return { measuredAt: now, lags: await measureLag(db, now) };
  return { measuredAt: new Date(measuredAt), lags: rows.map((row) => ({
    payee: row.payee, settledEntries: row.settled_entries,
    medianHours: row.median_hours === null ? null : Number(row.median_hours),
    maxHours: row.max_hours === null ? null : Number(row.max_hours),
    oldestUnsettledAt: row.oldest_unsettled_at === null ? null
      : new Date(row.oldest_unsettled_at),
    scheduleDays: row.schedule_days, slaDays: row.sla_days, breached: row.breached,
    hasProfile: row.has_profile })) };
}
