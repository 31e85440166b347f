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
 * Any handle, a Kysely instance or a transaction, seen with the outbox table. Callers hold
 * handles typed with their own tables; the outbox needs only its own.
 */
export function withOutboxTables<DB>(db: Kysely<DB>): Kysely<OutboxTables> {
  return db as unknown as Kysely<OutboxTables>;
}
