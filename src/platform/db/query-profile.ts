/**
 * A profiling switch for benchmarks (bench/ingest/profile.ts): with HUDUMA_QUERY_PROFILE_FILE
 * set, every query the process runs is timed (Kysely's log: from sending the statement to its
 * answer, lock waits inside PostgreSQL included) and counted by its statement shape, and the
 * totals are written to that file as JSON when the process exits. Off by default; the shape
 * keeps no parameter values, so nothing personal reaches the file.
 */
import { writeFileSync } from 'node:fs';
import type { LogEvent } from 'kysely';

export type QueryProfileEntry = Readonly<{ statement: string; count: number; totalMs: number;
  maxMs: number; errors: number }>;

/** One shape per statement: placeholders and multi-row value lists folded. */
export function statementShape(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
    .replace(/\(\$\d+(?:, ?\$\d+)*\)(?:, ?\(\$\d+(?:, ?\$\d+)*\))+/g, '(...), ...')
    .replace(/\$\d+(?:, ?\$\d+)+/g, '$...')
    .replace(/\$\d+/g, '$');
}

type Totals = { count: number; totalMs: number; maxMs: number; errors: number };

export function createQueryProfile(): Readonly<{
  log: (event: LogEvent) => void;
  entries: () => QueryProfileEntry[];
}> {
  const byShape = new Map<string, Totals>();
  return {
    log: (event) => {
      const shape = statementShape(event.query.sql);
      const totals = byShape.get(shape) ?? { count: 0, totalMs: 0, maxMs: 0, errors: 0 };
      totals.count += 1;
      totals.totalMs += event.queryDurationMillis;
      totals.maxMs = Math.max(totals.maxMs, event.queryDurationMillis);
      if (event.level === 'error') totals.errors += 1;
      byShape.set(shape, totals);
    },
    entries: () => [...byShape.entries()].map(([statement, totals]) => ({ statement, ...totals }))
      .sort((a, b) => b.totalMs - a.totalMs),
  };
}

let processProfile: ReturnType<typeof createQueryProfile> | undefined;

/** The process's profile logger when HUDUMA_QUERY_PROFILE_FILE is set, else undefined. */
export function queryProfileLogger(env: NodeJS.ProcessEnv = process.env):
  ((event: LogEvent) => void) | undefined {
  const file = env.HUDUMA_QUERY_PROFILE_FILE;
  if (file === undefined || file === '') return undefined;
  if (processProfile === undefined) {
    const profile = createQueryProfile();
    processProfile = profile;
    process.once('exit', () => writeFileSync(file, JSON.stringify(profile.entries())));
  }
  return processProfile.log;
}
