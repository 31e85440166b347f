/**
 * The search benchmark: `npm run bench:search -- --services 23000|1000000 [--database pglite|
 * postgres] [--duration 20] [--connections 8] [--generator huduma|bench] [--no-write]
 * [--rate N] [--no-cache] [--cold-start-only]`.
 *
 * `--no-cache` runs the app with its result cache off (HUDUMA_SEARCH_CACHE_ENTRIES=0, as does
 * that variable set by hand): every request is ranked. Such a run is written to its own block
 * (`<services>-<database>-no-cache`), and every report says whether the cache was on.
 *
 * 1. Prepares the data: the real eCitizen catalogue (`huduma catalogue import`) plus synthetic
 *    services up to the target (bench-database.ts).
 * 2. Starts the app in a child process on a loopback port (bench-server.ts), which first times
 *    the raw engine on the query mix.
 * 3. Drives GET /api/v1/services from another child process, after an unmeasured warm-up
 *    (the result cache is emptied after it): one connection (latency), then
 *    several (throughput, saturating the app), each a closed loop (load-client.ts,
 *    autocannon); then at a fixed arrival rate (load-rate.ts): 1,000 requests/s, the issue's
 *    throughput target, or half the saturated throughput when that is less (--rate sets it).
 *    Then GET /healthz the same three ways, briefly: the floor any request pays over HTTP.
 *    docs/decisions/0004 says which phase each target is read from.
 * 4. Measures cold start: `node src/main.ts` on an empty data folder until GET / answers.
 * 5. Prints the results and writes them to BENCHMARKS.md (the search section only).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  benchDatabase,
  benchQueryMix,
  prepareBenchData,
  repositoryRoot,
  type BenchDatabase,
} from './bench-database.ts';
import type { ServerMessage } from './bench-server.ts';
import { measureColdStart, type ColdStart } from './cold-start.ts';
import type { LoadRequest, LoadResult } from './load-client.ts';
import type { RateRequest, RateResult } from './load-rate.ts';
import { queryPath, type MixQuery } from './query-mix.ts';
import {
  coldStartSection,
  describeMachine,
  searchSection,
  summarise,
  summariseLoad,
  summariseRate,
  writeColdStartSection,
  writeSearchSection,
  type SearchRun,
} from './report.ts';

const { values } = parseArgs({
  options: {
    'services': { type: 'string', default: '23000' },
    'database': { type: 'string', default: 'pglite' },
    'duration': { type: 'string', default: '20' },
    'latency-duration': { type: 'string', default: '10' },
    'connections': { type: 'string', default: '8' },
    'raw-rounds': { type: 'string', default: '3' },
    'rate': { type: 'string' },
    'catalogue': { type: 'string' },
    'generator': { type: 'string', default: 'huduma' },
    'no-write': { type: 'boolean', default: false },
    'no-cache': { type: 'boolean', default: false },
    'cold-start-only': { type: 'boolean', default: false },
  },
});

/** Bounds, so a mistyped option cannot start an hour-long run. */
const durationSecondsMax = 120;
const connectionsMax = 64;
/** The HTTP path is warmed (unmeasured) before the phases, as the raw engine is. */
const warmUpSeconds = 3;
/** The HTTP floor (GET /healthz) is measured briefly: it only sets the scale. */
const floorSeconds = 5;
/** The fixed-rate phase's default: the throughput target at 23,000 services. */
const targetRatePerSecond = 1_000;
const ratePerSecondMax = 20_000;
/** The library keeps every document's terms in JavaScript objects: timed up to this size. */
const libraryServicesMax = 100_000;

function boundedInteger(text: string | undefined, low: number, high: number, name: string) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new Error(`--${name} must be a whole number from ${low} to ${high} (got "${text}")`);
  }
  return value;
}

const say = (line: string) => process.stderr.write(`[bench:search] ${line}\n`);

function childNode(script: string, env: Readonly<Record<string, string>>) {
  return fork(path.join(repositoryRoot, 'bench', 'search', script), [], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env, HUDUMA_ENV: 'development', HUDUMA_WORKERS: 'false' },
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function askChild<Request extends object, Result>(script: string, request: Request) {
  const client = childNode(script, {});
  const result = new Promise<Result>((resolve, reject) => {
    client.once('message', (message: Result) => resolve(message));
    client.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${script} exited ${code}`));
    });
  });
  client.send(request);
  return result;
}

/** A closed loop: each connection sends its next request when the last is answered. */
const drive = (url: string, paths: readonly string[], seconds: number, connections: number) =>
  askChild<LoadRequest, LoadResult>('load-client.ts',
    { url, paths, durationSeconds: seconds, connections });

/** An open model: requests arrive at a fixed rate, answered or not. */
const driveAtRate = (url: string, paths: readonly string[], seconds: number, rate: number) =>
  askChild<RateRequest, RateResult>('load-rate.ts',
    { url, paths, durationSeconds: seconds, ratePerSecond: rate });

async function queryMixOf(database: BenchDatabase): Promise<MixQuery[]> {
  const handle = await database.open();
  try {
    return await benchQueryMix(handle.db);
  } finally {
    await handle.close();
  }
}

async function runSearchBenchmark(
  database: BenchDatabase, services: number, options: Readonly<{
    durationSeconds: number; latencySeconds: number; connections: number; rawRounds: number;
    ratePerSecond: number | undefined;
  }>,
): Promise<SearchRun> {
  const folder = values.catalogue ??
    path.resolve(repositoryRoot, '..', 'shared', 'data', 'ecitizen-catalogue');
  say(`preparing ${services} services in ${database.description}`);
  const generator = values.generator === 'bench' ? 'bench' : 'huduma';
  const prepared = await prepareBenchData(database, services, folder, generator);
  const mix = await queryMixOf(database);
  const server = childNode('bench-server.ts', values['no-cache']
    ? { ...database.env, HUDUMA_SEARCH_CACHE_ENTRIES: '0' }
    : database.env);
  const messages: ServerMessage[] = [];
  const waitFor = <E extends ServerMessage['event']>(event: E) =>
    new Promise<Extract<ServerMessage, { event: E }>>((resolve, reject) => {
      const check = (message: ServerMessage) => {
        messages.push(message);
        if (message.event === 'failed') reject(new Error(`server failed: ${message.message}`));
        if (message.event === event) {
          server.off('message', check);
          resolve(message as Extract<ServerMessage, { event: E }>);
        }
      };
      server.on('message', check);
    });
  try {
    const rawReady = waitFor('raw');
    // The library baseline beside the engine, where it fits in memory (library-baseline.ts).
    server.send({ command: 'start', mix, rawRounds: options.rawRounds,
      library: prepared.services <= libraryServicesMax });
    say('server: building an index and timing the raw engine');
    const raw = await rawReady;
    say(`raw engine: ${raw.searchMs.length} searches; starting the app`);
    const listening = await waitFor('listening');
    const url = `http://127.0.0.1:${listening.port}`;
    const paths = mix.map(queryPath);
    const phase = (name: string) => server.send({ command: 'phase', name });
    // The raw engine is timed after a warm-up; so is the HTTP path (JIT, connections).
    say(`warm-up: 1 connection for ${warmUpSeconds} s, not measured`);
    await drive(url, paths, warmUpSeconds, 1);
    server.send({ command: 'warmed' });
    say(`latency: 1 connection for ${options.latencySeconds} s`);
    phase('latency');
    const latency = await drive(url, paths, options.latencySeconds, 1);
    say(`throughput: ${options.connections} connections for ${options.durationSeconds} s`);
    phase('throughput');
    const throughput = await drive(url, paths, options.durationSeconds, options.connections);
    const saturated = throughput.requests / throughput.durationSeconds;
    const ratePerSecond = options.ratePerSecond ??
      Math.max(1, Math.min(targetRatePerSecond, Math.floor(saturated / 2)));
    say(`fixed rate: ${ratePerSecond} requests/s for ${options.durationSeconds} s`);
    phase('rate');
    const atRate = await driveAtRate(url, paths, options.durationSeconds, ratePerSecond);
    say(`floor: GET /healthz at 1 and ${options.connections} connections and at ` +
      `${ratePerSecond}/s, ${floorSeconds} s each`);
    phase('floor'); // not reported; keeps /healthz out of the search phases' figures
    const floorLatency = await drive(url, ['/healthz'], floorSeconds, 1);
    const floorThroughput = await drive(url, ['/healthz'], floorSeconds, options.connections);
    const floorAtRate = await driveAtRate(url, ['/healthz'], floorSeconds, ratePerSecond);
    const memoryAfter = waitFor('memory');
    server.send({ command: 'stop' });
    const { memory, cache, inside } = await memoryAfter;
    return {
      services: prepared.services, realServices: prepared.realServices, notes: prepared.notes,
      database: database.description, databaseKind: database.kind,
      buildMs: raw.buildMs, appIndexBuildMs: listening.indexBuildMs,
      raw: { search: summarise(raw.searchMs), rank: summarise(raw.rankMs) },
      library: raw.library === undefined ? undefined : { name: raw.library.name,
        buildMs: raw.library.buildMs, search: summarise(raw.library.searchMs) },
      latency: summariseLoad(latency),
      throughput: summariseLoad(throughput),
      rate: summariseRate(atRate),
      floor: { latency: summariseLoad(floorLatency),
        throughput: summariseLoad(floorThroughput), rate: summariseRate(floorAtRate) },
      inside: { latency: summarise(inside.latency ?? []), rate: summarise(inside.rate ?? []) },
      connections: options.connections,
      memory: listening.memory, memoryAfterLoad: memory, cache,
    };
  } finally {
    if (server.exitCode === null) server.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const services = boundedInteger(values.services, 1, 2_000_000, 'services');
  const kind = values.database === 'postgres' ? 'postgres' : 'pglite';
  if (values.database !== 'postgres' && values.database !== 'pglite') {
    throw new Error(`--database must be pglite or postgres (got "${values.database}")`);
  }
  const options = {
    durationSeconds: boundedInteger(values.duration, 1, durationSecondsMax, 'duration'),
    latencySeconds: boundedInteger(values['latency-duration'], 1, durationSecondsMax,
      'latency-duration'),
    connections: boundedInteger(values.connections, 1, connectionsMax, 'connections'),
    rawRounds: boundedInteger(values['raw-rounds'], 1, 20, 'raw-rounds'),
    ratePerSecond: values.rate === undefined
      ? undefined
      : boundedInteger(values.rate, 1, ratePerSecondMax, 'rate'),
  };
  const machine = await describeMachine(benchDatabase(kind, services));
  let run: SearchRun | undefined;
  if (!values['cold-start-only']) {
    run = await runSearchBenchmark(benchDatabase(kind, services), services, options);
  }
  say('cold start: node src/main.ts on an empty data folder');
  const coldStart: ColdStart = await measureColdStart();
  const written = values['no-write']
    ? 'not written (--no-write)'
    : 'written to BENCHMARKS.md';
  if (!values['no-write']) {
    if (run !== undefined) await writeSearchSection(run, machine);
    await writeColdStartSection(coldStart, machine);
  }
  const text = [
    run === undefined ? '' : searchSection(run, machine),
    coldStartSection(coldStart, machine),
    `Results ${written}.`,
  ];
  process.stdout.write(`\n${text.filter((part) => part !== '').join('\n\n')}\n`);
}

await main();
