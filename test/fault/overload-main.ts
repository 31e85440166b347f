/**
 * `npm run fault:overload`: the overload part of the fault suite (overload-run.ts), progress on
 * stderr, the figures on stdout as Markdown for RELIABILITY.md. Exit 1 when a callback was
 * refused or failed, a refusal lacked Retry-After, or the recovery phase still shed.
 * `--database postgres|pglite` (default postgres), `--targets search,sign-in,callbacks`,
 * `--search-services 100000` (synthetic services added; the search cache is off unless
 * `--search-cache`: every search a miss, as an attacker's unique queries would make it),
 * `--overload-seconds 15`, `--capacity-seconds 5`, `--calm-seconds 5`, `--factor 2`.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { InsidePercentile } from './overload-inside.ts';
import type { Tally } from './overload-load.ts';
import { runOverload, type OverloadResult, type Phase } from './overload-run.ts';
import { targets as allTargets, type Target } from './overload-targets.ts';

/** Bounds, so a mistyped option cannot start a long run on a shared machine. */
const secondsMax = 20;

function bounded(text: string | undefined, low: number, high: number, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < low || value > high) {
    throw new Error(`--${name} must be from ${low} to ${high} (got "${text}")`);
  }
  return value;
}

function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(1)
  : value.toFixed(0);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}`;

/** A percentile read from histogram buckets: "at most" the bucket's bound. */
function inside(value: InsidePercentile): string {
  if (value.p99AtMostMs === undefined) return '-';
  return value.p99AtMostMs === Number.POSITIVE_INFINITY ? '> 10 s' : `<= ${value.p99AtMostMs}`;
}

function share(tally: Tally): string {
  const total = tally.admittedMs.length + tally.shedMs.length + tally.errors;
  return total === 0 ? '-' : `${((100 * tally.shedMs.length) / total).toFixed(1)}%`;
}

function phaseRow(target: Target, phase: Phase): string {
  const { main, seconds } = phase.outcome;
  const sent = main.admittedMs.length + main.shedMs.length + main.errors;
  const statuses = [...Object.entries(main.statuses), ...Object.entries(main.errorKinds)]
    .map(([s, n]) => `${s}: ${n}`).join(', ');
  const answered = main.admittedMs.length + main.shedMs.length;
  const cpuMs = answered === 0 ? Number.NaN : (1000 * phase.appCpuSeconds) / answered;
  return `| ${target} | ${phase.name} | ${phase.ratePerSecond ?? 'closed loop'} | ${sent} | ` +
    `${Math.round(main.admittedMs.length / seconds)} | ${ms(percentile(main.admittedMs, 0.5))} | ` +
    `${ms(percentile(main.admittedMs, 0.99))} | ${share(main)} | ` +
    `${ms(percentile(main.shedMs, 0.5))} | ${ms(percentile(main.shedMs, 0.99))} | ` +
    `${main.errors} | ${phase.listenOverflows} | ${inside(phase.insideAdmitted)} | ` +
    `${inside(phase.loopLateness)} | ` +
    `${phase.appCpuSeconds.toFixed(1)} s, ${cpuMs.toFixed(2)} ms | ` +
    `${mb(phase.rssPeakBytes)} | ${statuses} |`;
}

function machine(): string[] {
  const lscpu = (() => {
    try {
      return execFileSync('lscpu', { encoding: 'utf8' });
    } catch {
      return '';
    }
  })();
  const field = (name: string) => new RegExp(`^${name}:\\s+(.+)$`, 'm').exec(lscpu)?.[1] ?? '?';
  return [
    `- Machine: ${field('Model name')}, ${field('CPU\\(s\\)')} CPUs ` +
      `(${field('Thread\\(s\\) per core')} thread(s) per core), ` +
      `${Math.round(os.totalmem() / 1024 ** 3)} GiB memory; ${os.type()} ${os.release()}; ` +
      `Node ${process.version}`,
  ];
}

export function formatOverload(result: OverloadResult): string {
  const lines = [
    ...machine(),
    `- Database: ${result.database}; search over ${result.searchServices} synthetic services ` +
      `plus the demo catalogue, result cache ${result.searchCache ? 'on' : 'off'}; ` +
      `the app's RSS after start ${mb(result.rssAtStartBytes)} MB`,
    `- Load average (1, 5, 15 min) before ${result.loadAverageBefore}, ` +
      `after ${result.loadAverageAfter}`,
    '',
    '| target | phase | rate/s | sent | admitted/s | admitted p50 ms | admitted p99 ms | ' +
      'shed | shed p50 ms | shed p99 ms | errors | listen overflows | ' +
      'inside app p99 admitted ms | ' +
      'event loop late p99 ms | app CPU, per answer | RSS peak MB | statuses |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- ' +
      '| --- | --- |',
  ];
  for (const run of result.runs) {
    for (const phase of run.phases) lines.push(phaseRow(run.target, phase));
  }
  lines.push('');
  for (const run of result.runs) {
    const overload = run.phases.find((p) => p.name === 'overload');
    if (overload === undefined) continue;
    const side = overload.outcome.callbacks;
    const lag = percentile(overload.outcome.sendLagMs, 0.99);
    lines.push(`- ${run.target} at ${overload.ratePerSecond}/s (capacity ` +
      `${run.capacityPerSecond}/s): refusals without Retry-After ` +
      `${overload.outcome.main.shedWithoutRetryAfter}; the generator's send lag p99 ${ms(lag)} ms` +
      (side.admittedMs.length + side.shedMs.length + side.errors === 0 ? '' :
        `; callbacks beside it: ${side.admittedMs.length} answered, ${side.shedMs.length} ` +
        `refused, ${side.errors} failed, p50 ${ms(percentile(side.admittedMs, 0.5))} ms, ` +
        `p99 ${ms(percentile(side.admittedMs, 0.99))} ms`));
  }
  lines.push(`- Refusals the app counted (http_requests_shed_total): ` +
    `${result.shedCounts.length === 0 ? 'none' : result.shedCounts.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

/** What must hold, whatever the machine: the problems found, none when all is well. */
export function overloadProblems(result: OverloadResult): string[] {
  const problems: string[] = [];
  for (const run of result.runs) {
    for (const phase of run.phases) {
      const { main, callbacks } = phase.outcome;
      if (main.shedWithoutRetryAfter > 0) {
        problems.push(`${run.target} ${phase.name}: refusals without Retry-After`);
      }
      if (callbacks.shedMs.length + callbacks.errors > 0 ||
        (run.target === 'callbacks' && main.shedMs.length + main.errors > 0)) {
        problems.push(`${run.target} ${phase.name}: a callback was refused or failed`);
      }
    }
    const recovery = run.phases.find((p) => p.name === 'recovery');
    if (recovery !== undefined && recovery.outcome.main.shedMs.length > 0) {
      problems.push(`${run.target} recovery: ${share(recovery.outcome.main)} still shed`);
    }
  }
  return problems;
}

export async function overloadMain(args: readonly string[]): Promise<boolean> {
  const { values } = parseArgs({ args: [...args], options: {
    'database': { type: 'string', default: 'postgres' },
    'search-services': { type: 'string', default: '100000' },
    'search-cache': { type: 'boolean', default: false },
    'targets': { type: 'string', default: allTargets.join(',') },
    'overload-seconds': { type: 'string', default: '15' },
    'capacity-seconds': { type: 'string', default: '5' },
    'calm-seconds': { type: 'string', default: '5' },
    'factor': { type: 'string', default: '2' },
  } });
  const database = values.database === 'pglite' ? 'pglite' : 'postgres';
  const targets = (values.targets ?? '').split(',').filter((t): t is Target =>
    (allTargets as readonly string[]).includes(t));
  const result = await runOverload({
    database, targets, searchCache: values['search-cache'] === true,
    searchServices: bounded(values['search-services'], 0, 100_000, 'search-services'),
    overloadSeconds: bounded(values['overload-seconds'], 1, secondsMax, 'overload-seconds'),
    capacitySeconds: bounded(values['capacity-seconds'], 1, secondsMax, 'capacity-seconds'),
    calmSeconds: bounded(values['calm-seconds'], 1, secondsMax, 'calm-seconds'),
    factor: bounded(values.factor, 1, 10, 'factor'),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(formatOverload(result));
  const problems = overloadProblems(result);
  for (const problem of problems) process.stderr.write(`PROBLEM: ${problem}\n`);
  return problems.length === 0;
}

if (import.meta.main) process.exit(await overloadMain(process.argv.slice(2)) ? 0 : 1);
