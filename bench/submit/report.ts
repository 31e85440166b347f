/**
 * The submit benchmark's figures: percentiles, the machine line, and the Markdown block for
 * BENCHMARKS.md (printed and saved under bench/.out/; pasted into BENCHMARKS.md by hand, so
 * a run never rewrites what others wrote there).
 */
import os from 'node:os';
import type { LoadResult } from './load-client.ts';
import type { DatabaseCounters, WaitSamples } from './pg-stats.ts';
import type { Verification } from './verify.ts';

export type PhaseSummary = Readonly<{
  answers: number;
  /** Answers with the expected status (303 See Other). */
  ok: number;
  /** Everything else: other statuses, socket errors, timeouts. */
  failed: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  seconds: number;
  statuses: Record<string, number>;
}>;

export type SubmitRun = Readonly<{
  command: string;
  machine: string;
  database: string;
  connections: number;
  p99TargetMs: number;
  submits: PhaseSummary;
  bare: PhaseSummary;
  verification: Verification;
  preparedSeconds: number;
  /** PostgreSQL's counters from before the app started to after it stopped. */
  counters: DatabaseCounters | undefined;
  /** PostgreSQL's sessions, sampled during the measured submits. */
  waits: WaitSamples | undefined;
}>;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function summarise(result: LoadResult): PhaseSummary {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const answers = sorted.length;
  const ok = result.statuses['303'] ?? 0;
  return {
    answers, ok, failed: answers - ok + result.errors + result.timeouts,
    perSecond: ok / result.durationSeconds,
    p50Ms: percentile(sorted, 50), p90Ms: percentile(sorted, 90), p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN, seconds: result.durationSeconds,
    statuses: result.statuses,
  };
}

export function describeMachine(databaseVersion: string): string {
  return `${os.availableParallelism()} CPU (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ` +
    `${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ` +
    `${databaseVersion}; load average at start ${os.loadavg().map((v) => v.toFixed(1))
      .join(' ')}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const fixed = (value: number, digits = 0) => Number.isFinite(value)
  ? value.toLocaleString('en-GB', { minimumFractionDigits: digits,
    maximumFractionDigits: digits }) : '-';

function row(label: string, phase: PhaseSummary): string {
  return `| ${label} | ${fixed(phase.ok)} | ${fixed(phase.perSecond)} | ` +
    `${fixed(phase.p50Ms, 1)} | ${fixed(phase.p90Ms, 1)} | ${fixed(phase.p99Ms, 1)} | ` +
    `${fixed(phase.maxMs, 1)} | ${phase.failed} |`;
}

function verificationLines(check: Verification, submitted: number): string[] {
  const topics = Object.entries(check.outboxByTopic).map(([topic, n]) => `${topic} ${n}`);
  return [
    `After the run, in the database: ${fixed(check.awaitingPayment)} applications awaiting ` +
      `payment (${fixed(submitted)} submits answered 303, warm-up included), ` +
      `${check.invoicesNotOne} of them without exactly one invoice (${fixed(check.invoices)} ` +
      `invoices); ${fixed(check.auditRecords)} audit records of those applications and ` +
      `their invoices written during the load (${check.submittedWithoutAudit} applications ` +
      `without one); outbox events written during the load: ${topics.join(', ') || 'none'}; ` +
      `applications by status: ${Object.entries(check.statuses)
        .map(([status, n]) => `${status} ${n}`).join(', ')}; checkApplications: ` +
      `${fixed(check.checkedByCheckApplications)} checked, ${check.findings.length} findings.`,
  ];
}

function countersLine(counters: DatabaseCounters, submitted: number): string {
  const per = (value: number) => (value / submitted).toFixed(1);
  return `PostgreSQL's counters (pg_stat_database) from before the app started to after it ` +
    `stopped, over its ${fixed(submitted)} submits: ${per(counters.commits)} transactions ` +
    `committed per submit (a statement outside a transaction counts as one), ` +
    `${per(counters.rollbacks)} rolled back, ${per(counters.inserted)} rows inserted; the ` +
    'app\'s start and its health checks are counted in too.';
}

function waitsLine(waits: WaitSamples): string {
  const entries = Object.entries(waits.busy).sort((a, b) => b[1] - a[1]).slice(0, 5);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `PostgreSQL's sessions of this database, sampled every 100 ms during the measured ` +
    `submits (${waits.samples} samples; mean busy sessions ` +
    `${(Object.values(waits.busy).reduce((a, b) => a + b, 0) / Math.max(1, waits.samples))
      .toFixed(1)}): ${entries.map(([what, n]) => `${what} ${(100 * n / Math.max(1, total))
      .toFixed(0)}%`).join('; ')} (shares of the five most seen).`;
}

export function renderRun(run: SubmitRun, submittedIncludingWarmUp: number): string {
  const ratio = run.submits.perSecond / run.bare.perSecond;
  const met = run.submits.p99Ms <= run.p99TargetMs && run.submits.failed === 0;
  return [
    `### ${run.database.startsWith('PGlite') ? 'PGlite' : 'PostgreSQL'}`,
    '',
    `\`${run.command}\`. ${run.machine}. ${run.database}. ${run.connections} connections ` +
      '(autocannon, closed loop, from its own process).',
    '',
    '| phase | answered 303 | per second | p50 ms | p90 ms | p99 ms | max ms | failed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('application submits (POST /applications/:id/submit)', run.submits),
    row('bare Fastify + @fastify/formbody, same body, answers 303', run.bare),
    '',
    `Submits / bare framework POSTs: **${ratio.toFixed(3)}** (1 : ${fixed(1 / ratio)}). ` +
      `Goal p99 <= ${run.p99TargetMs} ms: **${met ? 'met' : 'not met'}** ` +
      `(${fixed(run.submits.p99Ms, 1)} ms, ${run.submits.failed} failed).`,
    '',
    ...verificationLines(run.verification, submittedIncludingWarmUp),
    '',
    ...(run.counters === undefined ? [] : [countersLine(run.counters, submittedIncludingWarmUp),
      '']),
    ...(run.waits === undefined ? [] : [waitsLine(run.waits), '']),
  ].join('\n');
}
