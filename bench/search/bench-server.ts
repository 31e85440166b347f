/**
 * The app under test, in its own process (started by run.ts with fork): builds the search
 * index, measures the raw engine (called directly, no HTTP) on the query mix, then builds the
 * real app around that same index and listens on a loopback port until told to stop.
 * Reports to the parent over IPC. PGlite opens its folder from one process only, which is
 * why the raw measurement runs here rather than in the runner.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { systemClock } from '#platform/clock/index.ts';
import { openAppDatabase } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { MetricsRegistry } from '#platform/metrics/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { buildApp } from '../../src/app.ts';
import {
  createServiceSearch,
  searchRoutes,
} from '../../src/modules/catalogue/search/index.ts';
import { modules as defaultModules } from '../../src/modules.ts';
import { timeLibraryBaseline, type LibraryTiming } from './library-baseline.ts';
import type { MixQuery } from './query-mix.ts';

export type ServerMessage =
  | { event: 'raw'; searchMs: number[]; rankMs: number[]; buildMs: number;
    library: LibraryTiming | undefined }
  | { event: 'listening'; port: number; indexBuildMs: number; memory: MemoryReport }
  | { event: 'memory'; memory: MemoryReport; cache: CacheReport; inside: InsideReport }
  | { event: 'failed'; message: string };

/**
 * Per load phase (named by the runner), each answer's time inside the app as Fastify counts
 * it (from onRequest to onResponse): what the app spends, without the socket, the kernel and
 * the load generator.
 */
export type InsideReport = Readonly<Record<string, number[]>>;

/** The result cache during the HTTP phases (it starts empty). */
export type CacheReport = Readonly<{ entriesMax: number; hits: number; misses: number }>;

export type MemoryReport = Readonly<{
  rssBytes: number;
  heapUsedBytes: number;
  arrayBuffersBytes: number;
  /** Growth over the process before the app and its index existed. */
  indexRssBytes: number;
  indexHeapAndBuffersBytes: number;
}>;

type ParentMessage =
  | { command: 'start'; mix: MixQuery[]; rawRounds: number; library: boolean }
  | { command: 'phase'; name: string }
  | { command: 'warmed' }
  | { command: 'stop' };

/** Resolves when the message is handed to the parent (a big one takes a while). */
const send = (message: ServerMessage) => new Promise<void>((resolve) => {
  if (process.send === undefined) resolve();
  else process.send(message, () => resolve());
});

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Raw timing stops after this long, so a million-service run stays within its budget. */
const rawBudgetMs = 90_000;

async function start(mix: readonly MixQuery[], rawRounds: number, withLibrary: boolean):
  Promise<void> {
  const config = loadConfig({ ...process.env, HUDUMA_DEMO_DATA: 'false', LOG_LEVEL: 'warn' });
  const { database } = await openAppDatabase(config);
  const deps: ModuleDeps = {
    config, db: database.db, databaseKind: database.kind, clock: systemClock,
    logger: createLogger({ level: 'warn' }), metrics: new MetricsRegistry(),
  };
  collectGarbage();
  const before = process.memoryUsage();

  // 1. Build the index once; the raw timing and the app below share it.
  // As the app configures it (HUDUMA_SEARCH_CACHE_ENTRIES): the raw timings below clear the
  // cache before every call, and the HTTP phase starts with it empty.
  const search = createServiceSearch(deps, { resultCacheEntries: config.searchCacheEntries });
  const buildStartedAt = performance.now();
  await search.refresh();
  const buildMs = performance.now() - buildStartedAt;
  const memory = () => {
    collectGarbage();
    const now = process.memoryUsage();
    return {
      rssBytes: now.rss, heapUsedBytes: now.heapUsed, arrayBuffersBytes: now.arrayBuffers,
      indexRssBytes: now.rss - before.rss,
      indexHeapAndBuffersBytes: now.heapUsed + now.arrayBuffers -
        before.heapUsed - before.arrayBuffers,
    };
  };
  const built = memory();

  // 2. The raw engine, alone: the whole search() call, and ranking in memory.
  for (const query of mix.slice(0, 200)) await search.search(query);
  const searchMs: number[] = [];
  const rankMs: number[] = [];
  const rawStartedAt = performance.now();
  rounds: for (let round = 0; round < rawRounds; round += 1) {
    for (const query of mix) {
      if (performance.now() - rawStartedAt > rawBudgetMs) break rounds;
      search.clearCache();
      let startedAt = performance.now();
      await search.search(query);
      searchMs.push(performance.now() - startedAt);
      startedAt = performance.now();
      search.rankOnly(query);
      rankMs.push(performance.now() - startedAt);
    }
  }
  // 2b. The library baseline on the same rows and mix (library-baseline.ts), then dropped,
  // so the app's memory below is the engine's alone.
  const library = withLibrary
    ? await timeLibraryBaseline(database.db as never, mix, rawRounds, rawBudgetMs)
    : undefined;
  void send({ event: 'raw', searchMs, rankMs, buildMs, library });
  search.clearCache();

  // 3. The real app (every module and hook), its catalogue routes serving the same index.
  const modules = defaultModules.map((module) => module.name !== 'catalogue' ? module : {
    ...module,
    routes: async (app: FastifyInstance) => searchRoutes(app, { search }),
  });
  const app = await buildApp({ ...deps, modules });
  const inside: Record<string, number[]> = {};
  let phase: number[] = [];
  app.addHook('onResponse', (_request, reply, done) => {
    phase.push(reply.elapsedTime);
    done();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  void send({ event: 'listening', port, indexBuildMs: buildMs, memory: built });
  process.on('message', (message: ParentMessage) => {
    if (message.command === 'phase') {
      phase = [];
      inside[message.name] = phase;
      return;
    }
    // After the warm-up: the measured phases start with an empty result cache.
    if (message.command === 'warmed') {
      search.clearCache();
      return;
    }
    if (message.command !== 'stop') return;
    const status = search.status();
    const sent = send({ event: 'memory', memory: memory(),
      cache: { entriesMax: config.searchCacheEntries, hits: status.cacheHits,
        misses: status.cacheMisses }, inside });
    void Promise.all([sent, app.close().then(() => database.close())])
      .then(() => process.exit(0));
  });
}

process.once('message', (message: ParentMessage) => {
  if (message.command !== 'start') return;
  start(message.mix, message.rawRounds, message.library).catch(async (error: unknown) => {
    await send({ event: 'failed',
      message: error instanceof Error ? error.stack ?? error.message : '?' });
    process.exit(1);
  });
});
