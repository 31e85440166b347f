/** Row type of the outbox (migrations/202611281000_create-outbox-event.sql). */
import type { ColumnType, Generated, Kysely } from 'kysely';

/** A jsonb column: read as parsed JSON, written as a JSON string. */
type JsonColumn = ColumnType<unknown, string, string>;

export type OutboxEventTable = {
  id: string;
  topic: string;
  payload: JsonColumn;
  created_at: Date;
  available_at: Date;
  attempts: Generated<number>;
  last_error: string | null;
  delivered_at: Date | null;
  dead: Generated<boolean>;
};

export type OutboxTables = { outbox_event: OutboxEventTable };

/**
 * Any handle, a Kysely instance or a transaction, whatever tables its caller declared. `any`
 * because Kysely is invariant in its tables; the functions taking it narrow it at once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/** Any handle seen with the outbox table only. */
export function withOutboxTables(db: AnyKysely): Kysely<OutboxTables> {
  return db;
}
