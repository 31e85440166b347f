/** bench/ingest/profile.ts's Markdown: per confirmation, where the time went. */
import type { QueryProfileEntry } from '../../src/platform/db/query-profile.ts';
import type { CpuSummary } from './cpu-profile.ts';
import type { SenderReport } from './load-sender.ts';

export type WaitSample = Readonly<{ wait: string; query: string }>;

export type ProfileInput = Readonly<{
  rate: number;
  seconds: number;
  sender: SenderReport;
  /** Acknowledged confirmations over the whole profile (warm-up and measured). */
  confirmations: number;
  queries: readonly QueryProfileEntry[];
  samples: readonly WaitSample[];
  sampleEveryMs: number;
  cpu: CpuSummary | undefined;
  load: string;
}>;

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const cell = (text: string, width = 110) =>
  (text.length > width ? `${text.slice(0, width - 1)}…` : text).replaceAll('|', '\\|');

function statementTable(input: ProfileInput): string[] {
  const per = (value: number) => value / Math.max(1, input.confirmations);
  const total = input.queries.reduce((sum, q) => sum + q.totalMs, 0);
  const calls = input.queries.reduce((sum, q) => sum + q.count, 0);
  // Statements run less than once per hundred confirmations (start-up, migrations) fold away.
  const shown = input.queries.filter((q) => q.count * 100 >= input.confirmations);
  return [
    '| statement (shape) | calls per confirmation | ms per confirmation | share | max ms |',
    '| --- | --- | --- | --- | --- |',
    ...shown.map((q) => `| \`${cell(q.statement)}\` | ${fixed(per(q.count))} | ` +
      `${fixed(per(q.totalMs))} | ${fixed((100 * q.totalMs) / Math.max(1, total), 1)}% | ` +
      `${fixed(q.maxMs, 1)} |`),
    `| **all statements** | **${fixed(per(calls))}** | **${fixed(per(total))}** | 100% | |`,
  ];
}

function waitTable(input: ProfileInput): string[] {
  const byWait = new Map<string, { count: number; queries: Map<string, number> }>();
  for (const sample of input.samples) {
    const entry = byWait.get(sample.wait) ?? { count: 0, queries: new Map<string, number>() };
    entry.count += 1;
    const shape = sample.query.replace(/\s+/g, ' ').slice(0, 90);
    entry.queries.set(shape, (entry.queries.get(shape) ?? 0) + 1);
    byWait.set(sample.wait, entry);
  }
  const total = Math.max(1, input.samples.length);
  return [
    `| what the app's busy backends were doing (${input.samples.length} samples, one per ` +
      `backend every ${input.sampleEveryMs} ms) | share | most often in |`,
    '| --- | --- | --- |',
    ...[...byWait.entries()].sort((a, b) => b[1].count - a[1].count).map(([wait, entry]) => {
      const [query] = [...entry.queries.entries()].sort((a, b) => b[1] - a[1])[0] ?? [''];
      return `| ${wait} | ${fixed((100 * entry.count) / total, 1)}% | \`${cell(query, 90)}\` |`;
    }),
  ];
}

function cpuTables(input: ProfileInput): string[] {
  const cpu = input.cpu;
  if (cpu === undefined) return ['(no CPU profile was written)'];
  const per = (ms: number) => fixed(ms / Math.max(1, input.confirmations), 3);
  const share = (ms: number) => `${fixed((100 * ms) / Math.max(1, cpu.totalMs), 1)}%`;
  return [
    `The app process's CPU profile: ${fixed(cpu.totalMs / 1000, 1)} s sampled, ` +
      `${per(cpu.totalMs)} ms per confirmation (idle included as "(idle)").`,
    '',
    '| where (package or folder) | ms per confirmation | share |',
    '| --- | --- | --- |',
    ...cpu.byPackage.map((row) => `| ${cell(row.name)} | ${per(row.ms)} | ${share(row.ms)} |`),
    '',
    '| function (self time) | ms per confirmation | share |',
    '| --- | --- | --- |',
    ...cpu.byFunction.map((row) => `| ${cell(row.name)} | ${per(row.ms)} | ${share(row.ms)} |`),
  ];
}

export function profileReport(input: ProfileInput): string {
  const s = input.sender;
  return [
    `Confirmations at ${input.rate}/s for ${input.seconds} s (after a warm-up): ${s.ok} ` +
      `acknowledged, ${s.failed} failed, p50 ${fixed(s.p50Ms, 1)} ms, p99 ` +
      `${fixed(s.p99Ms, 1)} ms (from when each was due). Per confirmation below: over ` +
      `${input.confirmations} acknowledged (warm-up included). Load average at the end ` +
      `${input.load}.`,
    '',
    ...statementTable(input),
    '',
    ...waitTable(input),
    '',
    ...cpuTables(input),
    '',
  ].join('\n');
}
