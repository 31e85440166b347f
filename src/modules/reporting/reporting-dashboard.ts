/**
 * The Treasury dashboard's use case: everything the page and its CSV files show for a period
 * and a reader's scope (all agencies, or their own), with the names of the agencies and
 * services it mentions (read from the catalogue's tables; names only, no personal data).
 */
import { sql } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import {
  settlementPosition,
  type SettlementPosition,
} from './reporting-position.ts';
import {
  collectionsByAgency,
  collectionsByChannel,
  collectionsByDay,
  collectionsByService,
  settlementLagByAgency,
  type AgencyCollection,
  type AgencyFilter,
  type AgencySettlementLag,
  type ChannelCollection,
  type DayCollection,
  type Period,
  type ServiceCollection,
} from './reporting-read.ts';

export type Names = ReadonlyMap<string, Readonly<{ en: string; sw: string | null }>>;

export type Dashboard = Readonly<{
  period: Period;
  scope: AgencyFilter;
  days: readonly DayCollection[];
  agencies: readonly AgencyCollection[];
  services: readonly ServiceCollection[];
  channels: readonly ChannelCollection[];
  position: readonly SettlementPosition[];
  lags: readonly AgencySettlementLag[];
  agencyNames: Names;
  serviceNames: Names;
}>;

/** Agency and service names by id (ids that are not found are left out). */
export async function namesOf(db: Database, table: 'agency' | 'service',
  ids: readonly string[]): Promise<Names> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await sql<{ id: string; name_en: string; name_sw: string | null }>`
    select id, name_en, name_sw from ${sql.table(table)}
    where id = any(${wanted}::uuid[])`.execute(db);
  return new Map(rows.rows.map((row) => [row.id, { en: row.name_en, sw: row.name_sw }]));
}

export async function loadDashboard(db: Database, period: Period, scope: AgencyFilter,
  now: Date): Promise<Dashboard> {
  const [days, agencies, services, channels, position, lags] = [
    await collectionsByDay(db, period, scope), await collectionsByAgency(db, period, scope),
    await collectionsByService(db, period, scope), await collectionsByChannel(db, period, scope),
    await settlementPosition(db, period, scope), await settlementLagByAgency(db, now, scope)];
  const agencyIds = [...agencies.map((row) => row.agencyId), ...lags.map((row) => row.agencyId)]
    .filter((id): id is string => id !== null);
  const serviceIds = services.map((row) => row.serviceId)
    .filter((id): id is string => id !== null);
  return { period, scope, days, agencies, services, channels, position, lags,
    agencyNames: await namesOf(db, 'agency', agencyIds),
    serviceNames: await namesOf(db, 'service', serviceIds) };
}
