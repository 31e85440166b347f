/**
 * Numbers and words for the search benchmark: percentiles, the machine it ran on, and the
 * search section of BENCHMARKS.md (each configuration between its own markers, so a run
 * replaces only its own lines and never what others wrote there).
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { repositoryRoot, type BenchDatabase } from './bench-database.ts';
import type { CacheReport, MemoryReport } from './bench-server.ts';
import type { ColdStart } from './cold-start.ts';
import type { LoadResult } from './load-client.ts';
import type { RateResult } from './load-rate.ts';
import { percentile } from './query-mix.ts';

export type Stats = Readonly<{ count: number; p50: number; p99: number; max: number }>;

export function summarise(durationsMs: readonly number[]): Stats {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return {
    count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export type LoadStats = Stats & Readonly<{ load: Omit<LoadResult, 'latenciesMs'> }>;

export function summariseLoad(result: LoadResult): LoadStats {
  const { latenciesMs, ...load } = result;
  return { ...summarise(latenciesMs), load };
}

export type RateStats = LoadStats & Readonly<{ ratePerSecond: number; sendLag: Stats }>;

export function summariseRate(result: RateResult): RateStats {
  const { sendLagMs, ratePerSecond, ...load } = result;
  return { ...summariseLoad(load), ratePerSecond, sendLag: summarise(sendLagMs) };
}

export type SearchRun = Readonly<{
  services: number;
  realServices: number;
  notes: readonly string[];
  database: string;
  databaseKind: string;
  buildMs: number;
  appIndexBuildMs: number;
  raw: Readonly<{ search: Stats; rank: Stats }>;
  /** The library baseline (library-baseline.ts) on the same rows and mix; not at 1,000,000. */
  library: Readonly<{ name: string; buildMs: number; search: Stats }> | undefined;
  latency: LoadStats;
  /** N connections in a closed loop: the app saturated. */
  throughput: LoadStats;
  /** A fixed arrival rate (an open model), below saturation. */
  rate: RateStats;
  /** GET /healthz on the same app, the same three ways: what any request costs over HTTP. */
  floor: Readonly<{ latency: LoadStats; throughput: LoadStats; rate: RateStats }>;
  /** The same requests' time inside the app (Fastify's elapsed time), 1 connection and rate. */
  inside: Readonly<{ latency: Stats; rate: Stats }>;
  connections: number;
  memory: MemoryReport;
  memoryAfterLoad: MemoryReport;
  cache: CacheReport;
}>;

export type Machine = Readonly<{
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  system: string;
  databaseVersion: string;
  loadAverage: string;
  date: string;
}>;

export async function describeMachine(database: BenchDatabase): Promise<Machine> {
  const handle = await database.open();
  let databaseVersion = 'unknown';
  try {
    const result = await sql<{ version: string }>`select version()`.execute(handle.db);
    databaseVersion = (result.rows[0]?.version ?? 'unknown').split(' on ')[0] ?? 'unknown';
  } finally {
    await handle.close();
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    system: `${os.type()} ${os.release()} ${os.arch()}`,
    databaseVersion: `${database.kind === 'pglite' ? 'PGlite, ' : ''}${databaseVersion}`,
    loadAverage: os.loadavg().map((value) => value.toFixed(1)).join(' '),
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
  };
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const percent = (part: number, whole: number) =>
  whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
const verdict = (ok: boolean) => (ok ? 'met' : '**MISSED**');

function machineLine(machine: Machine): string {
  return `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, ` +
    `Node ${machine.node}, ${machine.system}, ${machine.databaseVersion}; ` +
    `load average at start ${machine.loadAverage} (the machine is shared)`;
}

/** The generator kept its schedule: almost every request out within this of its time. */
const sendLagP99MsMax = 5;

const perSecond = (stats: LoadStats) => stats.load.requests / stats.load.durationSeconds;
const failed = (stats: LoadStats) => stats.load.non2xx + stats.load.errors + stats.load.timeouts;

/** "0 failed", or how many failed and how: not 2xx (a 503 refusal, say), errors, timeouts. */
function failedText(stats: LoadStats): string {
  const { non2xx, errors, timeouts } = stats.load;
  if (non2xx + errors + timeouts === 0) return '0 failed';
  const kinds = [[non2xx, 'not 2xx'], [errors, 'errors'], [timeouts, 'timeouts']] as const;
  return `**${failed(stats)} failed** (` + kinds.filter(([count]) => count > 0)
    .map(([count, kind]) => `${count} ${kind}`).join(', ') + ')';
}

/** The fixed-rate phase counts when every request was answered and sent on time. */
function rateHeld(stats: RateStats): boolean {
  return failed(stats) === 0 && stats.sendLag.p99 <= sendLagP99MsMax &&
    stats.load.requests >= Math.floor(stats.ratePerSecond * stats.load.durationSeconds);
}

/**
 * A closed-loop phase meets a p99 limit only with every request answered 2xx: a refusal (503
 * from load shedding) is fast, and must never pass as a fast answer.
 */
function closedLoopMet(stats: LoadStats, p99MsMax: number): string {
  const count = failed(stats);
  return `${verdict(count === 0 && stats.p99 <= p99MsMax)}` +
    `${count === 0 ? '' : ` (${count.toLocaleString('en')} not answered 2xx)`}`;
}

/** Each target, read where docs/decisions/0004 says it is read. */
function targets(run: SearchRun): string[] {
  const limit = run.services <= 100_000 ? 10 : 100;
  const raw = run.raw.search.p99;
  const times = (stats: Stats) => `${(stats.p99 / raw).toFixed(1)}x`;
  const rate = `${run.rate.ratePerSecond.toLocaleString('en')}/s`;
  const held = rateHeld(run.rate);
  const lines = [
    `- HTTP p99 <= ${limit} ms: ${verdict(held && run.rate.p99 <= limit)} at a fixed ${rate} ` +
      `(${ms(run.rate.p99)} ms${held ? '' : '; the fixed rate was not held'}); ` +
      `${closedLoopMet(run.throughput, limit)} saturated, ${run.connections} connections ` +
      `(${ms(run.throughput.p99)} ms); ${closedLoopMet(run.latency, limit)} at 1 connection ` +
      `(${ms(run.latency.p99)} ms)`,
  ];
  if (run.services <= 100_000) {
    const saturated = perSecond(run.throughput);
    lines.push(`- >= 1,000 requests/s: ${verdict(saturated >= 1000)} (saturated at ` +
      `${Math.round(saturated).toLocaleString('en')}/s; the fixed ${rate} ` +
      `${held ? 'held' : '**not held**'} with ${failed(run.rate)} failed)`);
  }
  lines.push(`- HTTP p99 within 2x the raw engine p99 (${ms(raw)} ms), read at 1 connection, ` +
    `one request at a time as the engine is timed (decision 0004): ` +
    `${closedLoopMet(run.latency, 2 * raw)} (${times(run.latency)}). Under load, for ` +
    `reference: ${times(run.rate)} at a fixed ${rate} and ${times(run.throughput)} saturated, ` +
    `where GET /healthz, which does no work, is already ${times(run.floor.rate)} and ` +
    `${times(run.floor.throughput)}`);
  return lines;
}

export function searchSection(run: SearchRun, machine: Machine): string {
  const rate = (stats: LoadStats) => Math.round(perSecond(stats)).toLocaleString('en');
  const fixed = `fixed rate ${run.rate.ratePerSecond.toLocaleString('en')}/s`;
  const lag = (stats: RateStats) => `generator lag p99 ${ms(stats.sendLag.p99)} ms`;
  const row = (name: string, stats: Stats, extra: string) =>
    `| ${name} | ${ms(stats.p50)} | ${ms(stats.p99)} | ${ms(stats.max)} | ${extra} |`;
  const cacheOff = run.cache.entriesMax === 0;
  return [
    `### ${run.services.toLocaleString('en')} services, ${run.databaseKind}` +
      `${cacheOff ? ', result cache off' : ''}`,
    '',
    `\`npm run bench:search -- --services ${run.services} --database ${run.databaseKind}` +
      `${cacheOff ? ' --no-cache' : ''}\`, ` +
      `${machine.date} UTC. ${run.realServices.toLocaleString('en')} real eCitizen services ` +
      `plus synthetic ones; ${run.database}.`,
    `Machine: ${machineLine(machine)}.`,
    '',
    '| measured | p50 ms | p99 ms | max ms | other |',
    '| --- | --- | --- | --- | --- |',
    row('raw engine: search() call', run.raw.search, `${run.raw.search.count} calls, in-process`),
    row('raw engine: ranking only', run.raw.rank, 'in memory, no result text'),
    ...(run.library === undefined ? [] : [row(`library baseline: ${run.library.name}`,
      run.library.search, `${run.library.search.count} calls, same rows and mix; build ` +
      `${(run.library.buildMs / 1000).toFixed(1)} s; engine p99 is ` +
      `${(run.raw.search.p99 / run.library.search.p99).toFixed(2)}x the library's`)]),
    row('HTTP, 1 connection', run.latency,
      `${rate(run.latency)} req/s, ${failedText(run.latency)}`),
    row('- of which inside the app', run.inside.latency,
      'onRequest to onResponse, as Fastify counts it'),
    row(`HTTP, ${fixed}`, run.rate,
      `${rate(run.rate)} req/s answered, ${failedText(run.rate)}; ${lag(run.rate)}`),
    row('- of which inside the app', run.inside.rate, 'the same'),
    row(`HTTP, ${run.connections} connections (saturated)`, run.throughput,
      `${rate(run.throughput)} req/s, ${failedText(run.throughput)}`),
    row('HTTP floor: GET /healthz, 1 connection', run.floor.latency,
      `${rate(run.floor.latency)} req/s (no search: the cost of any request)`),
    row(`HTTP floor: GET /healthz, ${fixed}`, run.floor.rate,
      `${failedText(run.floor.rate)}; ${lag(run.floor.rate)}`),
    row(`HTTP floor: GET /healthz, ${run.connections} connections (saturated)`,
      run.floor.throughput, `${rate(run.floor.throughput)} req/s`),
    '',
    `Index build ${(run.buildMs / 1000).toFixed(1)} s. Memory of the index (heap + buffers ` +
      `growth) ${megabytes(run.memory.indexHeapAndBuffersBytes)}; process RSS ` +
      `${megabytes(run.memory.rssBytes)} after build, ` +
      `${megabytes(run.memoryAfterLoad.rssBytes)} after the load.`,
    '',
    cacheOff
      ? 'Result cache: **off** (`--no-cache`, HUDUMA_SEARCH_CACHE_ENTRIES=0): every request ' +
        `ranked, as the raw engine ranks every call (${run.cache.hits} served from a cache).`
      : `Result cache: **on**, up to ${run.cache.entriesMax} ranked pages, empty when the ` +
        `HTTP phases began; during them ${run.cache.hits} requests were served from it and ` +
        `${run.cache.misses} ranked ` +
        `(${percent(run.cache.hits, run.cache.hits + run.cache.misses)} hits). ` +
        'The raw-engine rows rank every call.',
    ...run.notes.map((note) => `Note: ${note}.`),
    '',
    'Targets:',
    ...targets(run),
  ].join('\n');
}

export function coldStartSection(coldStart: ColdStart, machine: Machine): string {
  const seconds = (value: number | undefined) =>
    value === undefined ? 'no answer' : `${(value / 1000).toFixed(2)} s`;
  const home = coldStart.homeMs === undefined
    ? `GET / did not answer 200 (last status ${coldStart.homeStatus}); ` +
      `GET /healthz answered after ${seconds(coldStart.healthMs)}`
    : `GET / answered 200 after ${seconds(coldStart.homeMs)} ` +
      `(GET /healthz after ${seconds(coldStart.healthMs)})`;
  const ok = (coldStart.homeMs ?? coldStart.healthMs ?? Infinity) <= 10_000;
  return [
    '### Cold start',
    '',
    `\`node src/main.ts\` (what \`npm start\` runs) on an empty data folder, embedded ` +
      `database, demo data on: ${home}. Target 10 s: ${verdict(ok)}. ${machine.date} UTC; ` +
      `machine: ${machineLine(machine)}.`,
  ].join('\n');
}

const benchmarksFile = path.join(repositoryRoot, 'BENCHMARKS.md');
const sectionTitle = '## Service search';

/** Replaces the text between this key's markers, adding the section and markers if missing. */
async function replaceBlock(key: string, body: string): Promise<void> {
  const start = `<!-- bench:search:${key} -->`;
  const end = `<!-- /bench:search:${key} -->`;
  let text = await readFile(benchmarksFile, 'utf8').catch(() => '# Benchmarks\n');
  if (!text.includes(sectionTitle)) {
    text = `${text.trimEnd()}\n\n${sectionTitle}\n\nWritten by \`npm run bench:search\` ` +
      '(bench/search/run.ts); the engine choice is in docs/decisions/0001-search-engine.md. ' +
      'Read each run with the load average it records.\n';
  }
  const block = `${start}\n${body}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    text = text.slice(0, from) + block + text.slice(to + end.length);
  } else {
    // New blocks go at the end of the search section (before the next "## " heading).
    const sectionAt = text.indexOf(sectionTitle);
    const next = text.indexOf('\n## ', sectionAt + sectionTitle.length);
    const at = next < 0 ? text.length : next;
    text = `${text.slice(0, at).trimEnd()}\n\n${block}\n${text.slice(at)}`;
  }
  await writeFile(benchmarksFile, `${text.trimEnd()}\n`);
}

export async function writeSearchSection(run: SearchRun, machine: Machine): Promise<void> {
  const cache = run.cache.entriesMax === 0 ? '-no-cache' : '';
  await replaceBlock(`${run.services}-${run.databaseKind}${cache}`, searchSection(run, machine));
}

export async function writeColdStartSection(
  coldStart: ColdStart, machine: Machine,
): Promise<void> {
  await replaceBlock('cold-start', coldStartSection(coldStart, machine));
}
