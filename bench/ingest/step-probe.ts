/**
 * What one load step cost the machine, read beside the sender's latencies: CPU time of each
 * party over the step (the app processes, their PostgreSQL backends, PostgreSQL's own
 * background processes, and the rest of the machine: other work sharing it), from
 * /proc/<pid>/stat and /proc/stat; how many database connections the app kept busy (sampled
 * from pg_stat_activity); and the load average at the step's end. The sender reports its own
 * CPU (load-sender.ts), since it is a process of its own that ends with the step.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import pg from 'pg';
import { postgresAdminUrl } from './bench-db.ts';

/** CPU time in clock ticks (user + system) from the text of /proc/<pid>/stat. */
export function processTicks(stat: string): number {
  // The second field is the command in parentheses, which may hold spaces: count after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime field 14 and stime field 15 (proc(5)).
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy and total clock ticks of all CPUs from the text of /proc/stat. */
export function machineTicks(stat: string): { busy: number; total: number } {
  const line = stat.split('\n').find((row) => row.startsWith('cpu ')) ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

let clockTicksPerSecond: number | undefined;
/** Clock ticks (as /proc counts them) in milliseconds. */
export function ticksToMs(ticks: number): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return (ticks * 1000) / clockTicksPerSecond;
}

async function ticksOf(pids: readonly number[]): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    try {
      ticks.set(pid, processTicks(await readFile(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      // the process ended: its time is lost to this step (a backend rarely ends mid-step)
    }
  }
  return ticks;
}

/** Ticks used since `before` by the processes in `after` (a process born since counts whole). */
const ticksSince = (before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>) =>
  [...after.entries()].reduce((sum, [pid, ticks]) => sum + ticks - (before.get(pid) ?? 0), 0);

export type StepCost = Readonly<{
  /** CPU ms over the step, by party; `machine` is all CPUs' busy time, everyone's. */
  appCpuMs: number;
  databaseCpuMs: number;
  postgresBackgroundCpuMs: number;
  machineCpuMs: number;
  /** Share of the machine's CPU time that was busy over the step (all cores). */
  machineBusyShare: number;
  /** Distinct app connections seen busy (active or in a transaction), and most at once. */
  connectionsBusy: number;
  connectionsBusyAtOnceMax: number;
  /** os.loadavg()[0] at the step's end. */
  loadAverage1m: number;
}>;

type Backends = Readonly<{ database: number[]; background: number[] }>;

async function listBackends(client: pg.Client, databaseName: string): Promise<Backends> {
  const result = await client.query<{ pid: number; ours: boolean }>(
    `select pid, datname is not null as ours from pg_stat_activity
      where pid <> pg_backend_pid() and (datname = $1 or datname is null)`, [databaseName]);
  return { database: result.rows.filter((row) => row.ours).map((row) => row.pid),
    background: result.rows.filter((row) => !row.ours).map((row) => row.pid) };
}

const sampleEveryMs = 50;

/** Samples which of the database's client connections are busy, until stopped. */
function sampleBusyConnections(client: pg.Client, databaseName: string) {
  const seen = new Set<number>();
  let atOnceMax = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const result = await client.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()
          and backend_type = 'client backend'
          and state in ('active', 'idle in transaction')`, [databaseName]);
      for (const row of result.rows) seen.add(row.pid);
      atOnceMax = Math.max(atOnceMax, result.rows.length);
      await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return { connectionsBusy: seen.size, connectionsBusyAtOnceMax: atOnceMax };
  };
}

/**
 * Starts measuring a step; `stop` returns its cost. `databaseName` undefined: the database is
 * in the app process (PGlite), so its CPU is the app's and it has one connection.
 */
export async function startStepProbe(appPids: readonly number[],
  databaseName: string | undefined): Promise<{ stop: () => Promise<StepCost> }> {
  const client = databaseName === undefined ? undefined
    : new pg.Client({ connectionString: postgresAdminUrl });
  await client?.connect();
  const backendsBefore = client === undefined || databaseName === undefined
    ? { database: [], background: [] } : await listBackends(client, databaseName);
  const appBefore = await ticksOf(appPids);
  const databaseBefore = await ticksOf(backendsBefore.database);
  const backgroundBefore = await ticksOf(backendsBefore.background);
  const machineBefore = machineTicks(await readFile('/proc/stat', 'utf8'));
  const stopSampling = client === undefined || databaseName === undefined
    ? () => Promise.resolve({ connectionsBusy: 1, connectionsBusyAtOnceMax: 1 })
    : sampleBusyConnections(client, databaseName);
  return { stop: async () => {
    const busy = await stopSampling();
    const machineAfter = machineTicks(await readFile('/proc/stat', 'utf8'));
    const appAfter = await ticksOf(appPids);
    const backendsAfter = client === undefined || databaseName === undefined
      ? { database: [], background: [] } : await listBackends(client, databaseName);
    const databaseAfter = await ticksOf(backendsAfter.database);
    const backgroundAfter = await ticksOf(backendsAfter.background);
    await client?.end();
    const machineTotal = machineAfter.total - machineBefore.total;
    return {
      appCpuMs: ticksToMs(ticksSince(appBefore, appAfter)),
      databaseCpuMs: ticksToMs(ticksSince(databaseBefore, databaseAfter)),
      postgresBackgroundCpuMs: ticksToMs(ticksSince(backgroundBefore, backgroundAfter)),
      machineCpuMs: ticksToMs(machineAfter.busy - machineBefore.busy),
      machineBusyShare: machineTotal === 0 ? 0
        : (machineAfter.busy - machineBefore.busy) / machineTotal,
      ...busy,
      loadAverage1m: os.loadavg()[0] ?? 0,
    };
  } };
}
