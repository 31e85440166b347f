/**
 * `npm run bench:ingest:profile -- [--rate 100] [--seconds 20]`: where a confirmation's time
 * goes (issue 14). On a fresh PostgreSQL database with open invoices, the app runs with its
 * query profile on (src/platform/db/query-profile.ts: every statement timed from send to
 * answer, by shape) and Node's CPU profiler; confirmations arrive at a fixed rate (the same
 * sender and mix as bench:ingest: 20% replays, 2% unknown references) after a warm-up. Beside
 * it a sampler reads pg_stat_activity every 10 ms: what each of the app's busy backends is doing
 * or waiting for (a lock, and which; the WAL flush; the client). Prints, per acknowledged
 * confirmation: round trips and database time by statement, the lock and I/O waits seen, and
 * the app's CPU by function and by package. Drops the database at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { confirmationUrl, freePort, runSender, startApp, stopApp } from './app-process.ts';
import { createBenchDatabase, postgresAdminUrl, prepareBenchDatabase } from './bench-db.ts';
import type { SenderReport } from './load-sender.ts';
import { cpuByFunction, type CpuProfile } from './cpu-profile.ts';
import type { QueryProfileEntry } from '../../src/platform/db/query-profile.ts';
import { profileReport, type WaitSample } from './profile-report.ts';

const { values: args } = parseArgs({ options: {
  rate: { type: 'string', default: '100' },
  seconds: { type: 'string', default: '20' },
} });
const rate = Math.min(Number(args.rate), 2_000);
const seconds = Math.min(Number(args.seconds), 120);
const warmUpSeconds = 5;
const sampleEveryMs = 10;
const log = (text: string) => process.stderr.write(`bench:ingest:profile ${text}\n`);

/** Samples what the database's active backends are doing until stopped. */
function startWaitSampler(databaseName: string): { stop: () => Promise<WaitSample[]> } {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  const samples: WaitSample[] = [];
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const result = await client.query<{ wait: string | null; query: string }>(
        `select case when wait_event_type is null then null
            else wait_event_type || ':' || wait_event end as wait, left(query, 200) as query
          from pg_stat_activity
          where datname = $1 and state = 'active' and pid <> pg_backend_pid()`,
        [databaseName]);
      samples.push(...result.rows.map((row) => ({ wait: row.wait ?? 'CPU (no wait)',
        query: row.query })));
      await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
    }
    await client.end();
  })();
  return { stop: async () => {
    running = false;
    await loop;
    return samples;
  } };
}

async function readCpuProfile(folder: string): Promise<CpuProfile | undefined> {
  const file = (await readdir(folder)).find((name) => name.endsWith('.cpuprofile'));
  return file === undefined ? undefined
    : JSON.parse(await readFile(path.join(folder, file), 'utf8')) as CpuProfile;
}

async function main(): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'huduma-ingest-profile-'));
  const database = await createBenchDatabase('postgres', 'profile');
  const token = randomBytes(24).toString('hex');
  const port = await freePort();
  const url = confirmationUrl(port, token);
  try {
    const needed = Math.ceil(rate * (seconds + warmUpSeconds)) + 10;
    log(`preparing ${needed} invoices`);
    const references = await prepareBenchDatabase(database, needed);
    const queryFile = path.join(folder, 'queries.json');
    const app = await startApp({ database, port, callbackToken: token,
      env: { HUDUMA_QUERY_PROFILE_FILE: queryFile },
      execArgv: ['--cpu-prof', `--cpu-prof-dir=${folder}`] });
    const timeoutMs = (seconds + 60) * 1000;
    let report: SenderReport;
    let warmOk: number;
    let samples: WaitSample[];
    try {
      log(`warm-up: ${rate}/s for ${warmUpSeconds} s (counted in the query profile too)`);
      const warmCount = Math.ceil(rate * warmUpSeconds);
      const warm = await runSender({ urls: [url], ratePerSecond: rate, seconds: warmUpSeconds,
        references: references.slice(0, warmCount), receiptPrefix: 'PW', replayShare: 0.2,
        unknownShare: 0.02, seed: 7 }, folder, timeoutMs);
      const databaseName = new URL(database.url ?? '').pathname.slice(1);
      const sampler = startWaitSampler(databaseName);
      log(`measured: ${rate}/s for ${seconds} s`);
      report = await runSender({ urls: [url], ratePerSecond: rate, seconds,
        references: references.slice(warmCount), receiptPrefix: 'PM', replayShare: 0.2,
        unknownShare: 0.02, seed: 8 }, folder, timeoutMs);
      samples = await sampler.stop();
      warmOk = warm.ok;
    } finally {
      await stopApp(app);
    }
    const queries = JSON.parse(await readFile(queryFile, 'utf8')) as QueryProfileEntry[];
    const cpu = await readCpuProfile(folder);
    process.stdout.write(profileReport({
      rate, seconds, sender: report, confirmations: report.ok + warmOk, queries,
      samples, sampleEveryMs, cpu: cpu === undefined ? undefined : cpuByFunction(cpu),
      load: os.loadavg().map((value) => value.toFixed(1)).join(' '),
    }));
  } finally {
    await database.drop();
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
