/** bench/cold-start's Markdown: per engine, each milestone's time since the spawn. */

export type Milestone = Readonly<{ name: string; at: number }>;

export type ColdStartRun = Readonly<{
  engine: 'pglite' | 'postgres';
  /** Spawn until GET / answered 200; undefined when it never did within the bound. */
  homeMs: number | undefined;
  searchMs: number | undefined;
  milestones: readonly Milestone[];
}>;

export type ColdStartContext = Readonly<{ goalMs: number; load: string; machine: string;
  date: string }>;

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function engineTable(runs: readonly ColdStartRun[], goalMs: number): string {
  const names = [...new Set(runs.flatMap((run) => run.milestones.map((m) => m.name)))];
  const at = (name: string) => runs.flatMap((run) =>
    run.milestones.filter((m) => m.name === name).map((m) => m.at));
  const medians = names.map((name) => ({ name, at: median(at(name)) ?? 0 }))
    .sort((a, b) => a.at - b.at);
  const rows = medians.map((milestone, index) => {
    const values = at(milestone.name);
    const step = milestone.at - (index === 0 ? 0 : medians[index - 1]?.at ?? 0);
    return `| ${milestone.name} | ${seconds(milestone.at)} | ${seconds(step)} | ` +
      `${seconds(Math.min(...values))} to ${seconds(Math.max(...values))} |`;
  });
  const homes = runs.map((run) => run.homeMs);
  const worst = homes.some((ms) => ms === undefined) ? undefined
    : Math.max(...homes.map((ms) => ms ?? 0));
  const verdict = worst !== undefined && worst <= goalMs ? 'met' : '**MISSED**';
  return [
    `First page after ${runs.map((run) => seconds(run.homeMs)).join(', ')} s ` +
      `(${runs.length} runs; goal ${seconds(goalMs)} s: ${verdict}).`,
    '',
    '| milestone (since the spawn of `npm start`) | median s | step s | range s |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function coldStartTable(runs: readonly ColdStartRun[], context: ColdStartContext):
  string {
  const engines = [...new Set(runs.map((run) => run.engine))];
  return [
    ...engines.flatMap((engine) => [
      `#### ${engine === 'pglite' ? 'PGlite (embedded, empty data folder)'
        : 'PostgreSQL (empty database)'}`,
      '',
      engineTable(runs.filter((run) => run.engine === engine), context.goalMs),
      '',
    ]),
    `${context.date} UTC; ${context.machine}; load average at the end ${context.load}.`,
    '',
  ].join('\n');
}
