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

/** What the benchmark database's sessions were doing, sampled: description -> samples. */
export type WaitSamples = Readonly<{ samples: number; busy: Record<string, number> }>;

const sampleEveryMs = 100;

/**
 * Samples pg_stat_activity every 100 ms until stopped: for each session of this database not
 * idle, what it waits for (a lock, with the statement waiting; the disk; the app, inside an
 * open transaction) or 'running'. Shows where a submit's time goes inside PostgreSQL.
 */
export async function sampleWaits(url: string): Promise<{ stop: () => Promise<WaitSamples> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const busy: Record<string, number> = {};
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const result = await client.query<{ what: string }>(`select case
          when wait_event_type = 'Lock' then 'waiting for a lock (' || wait_event || '): ' ||
            left(regexp_replace(query, '\\s+', ' ', 'g'), 60)
          when state = 'idle in transaction' then 'in a transaction, waiting for the app'
          when wait_event_type is null then 'running'
          else wait_event_type || ': ' || wait_event end as what
        from pg_stat_activity where datname = current_database() and state <> 'idle'
          and pid <> pg_backend_pid()`);
      samples += 1;
      for (const row of result.rows) busy[row.what] = (busy[row.what] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      await client.end();
      return { samples, busy };
    },
  };
}
