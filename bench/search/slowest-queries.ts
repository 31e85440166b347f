/**
 * Which queries of the benchmark's mix cost the engine most: `npm run bench:search:slowest --
 * [--services 1000000] [--database postgres|pglite] [--top 25]`, on a database the search
 * benchmark has prepared. Builds the index, ranks each distinct query of the mix five times
 * (cache off) and prints the slowest by their median, with how many services they match.
 * A tool for engine work, not a benchmark: nothing is written to BENCHMARKS.md.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '#config';
import { systemClock } from '#platform/clock/index.ts';
import { openAppDatabase } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { MetricsRegistry } from '#platform/metrics/index.ts';
import { createServiceSearch } from '../../src/modules/catalogue/search/index.ts';
import { benchDatabase, benchQueryMix } from './bench-database.ts';
import { queryPath } from './query-mix.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '1000000' },
    database: { type: 'string', default: 'postgres' },
    top: { type: 'string', default: '25' },
  },
});
const rounds = 5;
const say = (line: string) => process.stderr.write(`[slowest-queries] ${line}\n`);

const kind = values.database === 'pglite' ? 'pglite' : 'postgres';
const bench = benchDatabase(kind, Number(values.services));
const config = loadConfig({ ...process.env, ...bench.env, HUDUMA_DEMO_DATA: 'false',
  HUDUMA_SEARCH_CACHE_ENTRIES: '0', LOG_LEVEL: 'warn' });
const { database } = await openAppDatabase(config);
try {
  const mix = await benchQueryMix(database.db);
  const search = createServiceSearch({
    config, db: database.db, databaseKind: database.kind, clock: systemClock,
    logger: createLogger({ level: 'warn' }), metrics: new MetricsRegistry(),
  }, { resultCacheEntries: 0 });
  say(`building the index over ${bench.description}`);
  await search.refresh();
  const distinct = new Map(mix.map((query) => [queryPath(query), query]));
  say(`ranking ${distinct.size} distinct queries ${rounds} times each`);
  const timed = [...distinct].map(([path, query]) => {
    const times: number[] = [];
    let total = 0;
    for (let round = 0; round < rounds; round += 1) {
      const startedAt = performance.now();
      total = search.rankOnly(query)?.total ?? 0;
      times.push(performance.now() - startedAt);
    }
    times.sort((a, b) => a - b);
    return { path, total, medianMs: times[Math.floor(rounds / 2)] ?? 0 };
  }).sort((a, b) => b.medianMs - a.medianMs);
  const shareOfMix = (path: string) => mix.filter((query) => queryPath(query) === path).length;
  const mixMs = timed.reduce((sum, row) => sum + row.medianMs * shareOfMix(row.path), 0);
  process.stdout.write(`the whole mix of ${mix.length}: ${Math.round(mixMs)} ms of ranking ` +
    `(each distinct query's median times its count)\n`);
  for (const row of timed.slice(0, Number(values.top))) {
    process.stdout.write(`${row.medianMs.toFixed(2).padStart(8)} ms ` +
      `${String(row.total).padStart(8)} matches ${String(shareOfMix(row.path)).padStart(4)}x  ` +
      `${decodeURIComponent(row.path)}\n`);
  }
} finally {
  await database.close();
}
