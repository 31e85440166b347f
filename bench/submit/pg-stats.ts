/**
 * PostgreSQL's own counters for the benchmark's database (pg_stat_database): transactions
 * committed and rolled back, rows inserted. Read before the app starts and after it stopped
 * (a backend reports its counters when it exits), their difference over the submits says
 * what one submit costs the database: its commits and its rows.
 */
import pg from 'pg';

export type DatabaseCounters = Readonly<{ commits: number; rollbacks: number; inserted: number }>;

const settleMs = 1_500;

export async function readCounters(url: string): Promise<DatabaseCounters> {
  // Backends that just closed report on exit; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ c: string; r: string; i: string }>(`select
      xact_commit as c, xact_rollback as r, tup_inserted as i from pg_stat_database
      where datname = current_database()`);
    const row = result.rows[0];
    return { commits: Number(row?.c ?? 0), rollbacks: Number(row?.r ?? 0),
      inserted: Number(row?.i ?? 0) };
  } finally {
    await client.end();
  }
}

export function countersBetween(before: DatabaseCounters, after: DatabaseCounters):
  DatabaseCounters {
  // The first reading's own session commits once more by the time of the second.
  return { commits: after.commits - before.commits - 1,
    rollbacks: after.rollbacks - before.rollbacks, inserted: after.inserted - before.inserted };
}
