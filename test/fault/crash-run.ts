/**
 * The crash part of the fault suite: a private PostgreSQL cluster, the app as a child process
 * on it, a steady stream of confirmations over HTTP, and meanwhile the app killed with SIGKILL
 * and PostgreSQL stopped abruptly, in a seeded random order. Then the stream is drained (every
 * payment answered 200), the app is stopped, stored callbacks are swept (as the workers do
 * every minute), and crash-check.ts says what is wrong, if anything; `huduma audit verify`
 * and `huduma ledger check` must pass too. Used by crash.test.ts (few faults, for npm test)
 * and crash-main.ts (the full counts, `npm run fault:crash`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { systemClock, type Clock } from '#platform/clock/index.ts';
import { appRole, openPostgresDatabase, type DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import {
  createInvoiceForService,
  ingestContextFor,
  sweepUnprocessedCallbacks,
} from '#modules/payments/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import {
  fixtureIds,
  freePort,
  insertPaymentsFixture,
  newPayerId,
} from '#test/helpers/payments.ts';
import { appProcess, repositoryRoot, type AppProcess } from './crash-app.ts';
import { checkAfterCrashes, type CrashCheckReport } from './crash-check.ts';
import { createPrivateCluster, type PrivateCluster, type StopMode } from './crash-postgres.ts';
import {
  seededRandom,
  startConfirmationStream,
  type StreamFigures,
  type StreamInvoice,
} from './crash-stream.ts';

const run = promisify(execFile);

export type CrashRunOptions = Readonly<{
  appKills: number;
  postgresStops: number;
  invoices: number;
  seed: number;
  senders: number;
  /** Pause between one sender's deliveries. */
  pauseMs: number;
  /** Time the stream runs between two faults: a random value in [min, max]. */
  faultGapMs: readonly [number, number];
  progress: (line: string) => void;
}>;

export type CrashRunResult = Readonly<{
  check: CrashCheckReport;
  stream: StreamFigures;
  appKills: number;
  postgresStops: Readonly<Record<StopMode, number>>;
  unplannedAppExits: number;
  appRestartMs: readonly number[];
  postgresRestartMs: readonly number[];
  seconds: number;
  auditVerified: boolean;
  /** `huduma ledger check` (the ledger's invariants and the books against the payments). */
  ledgerCommandPassed: boolean;
}>;

export const crashShortcode = '222222';

/** Runs a `huduma` command against the cluster's database; resolves to its exit code. */
export async function hudumaCommand(databaseUrl: string | undefined, args: readonly string[],
  env: Readonly<Record<string, string>> = {}): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, ['src/cli/main.ts', ...args], {
      cwd: repositoryRoot, env: { PATH: process.env.PATH, HUDUMA_ENV: 'test', LOG_LEVEL: 'warn',
        ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }), ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

export async function createInvoices(database: DatabaseHandle,
  count: number): Promise<StreamInvoice[]> {
  await insertPaymentsFixture(database);
  const deps = { db: database.db, clock: systemClock, logger: createLogger({ level: 'silent' }) };
  const invoices: StreamInvoice[] = [];
  for (let index = 0; index < count; index += 1) {
    const created = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date(), allowsPartPayment: true });
    if (!created.ok) throw new Error(`invoice not created: ${created.error.code}`);
    invoices.push({ id: created.value.id, reference: created.value.reference });
  }
  return invoices;
}

/**
 * `huduma payments sweep` as the workers run it, but with the clock a minute on: the sweep
 * leaves callbacks younger than a minute (ingest-sweep.ts, sweepAgeMsMin) to the live
 * processing, and here the app is stopped, so there is none to wait for.
 */
export async function sweepStoredCallbacks(database: DatabaseHandle): Promise<number> {
  const later: Clock = { now: () => new Date(Date.now() + sweepAfterMs) };
  const report = await sweepUnprocessedCallbacks(database.db,
    ingestContextFor(testDeps(database, { clock: later }))());
  if (report.failed > 0) throw new Error(`the sweep failed ${report.failed} callback(s)`);
  return report.processed;
}

const sweepAfterMs = 61_000;

/** Starts the app, trying again while it fails (PostgreSQL may still be recovering). */
export async function startApp(app: AppProcess): Promise<number> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await app.start();
      return Date.now() - startedAt;
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(1_000);
    }
  }
}

type Chaos = { appRestartMs: number[]; postgresRestartMs: number[];
  stops: Record<StopMode, number> };

async function inflictFaults(options: CrashRunOptions, cluster: PrivateCluster,
  app: AppProcess, status: () => string): Promise<Chaos> {
  const random = seededRandom(options.seed + 1);
  const faults: Array<'app' | 'postgres'> = [
    ...Array.from({ length: options.appKills }, () => 'app' as const),
    ...Array.from({ length: options.postgresStops }, () => 'postgres' as const),
  ].map((fault) => ({ fault, order: random() })).sort((a, b) => a.order - b.order)
    .map((each) => each.fault);
  const chaos: Chaos = { appRestartMs: [], postgresRestartMs: [],
    stops: { sigkill: 0, immediate: 0 } };
  for (const [index, fault] of faults.entries()) {
    const [gapMin, gapMax] = options.faultGapMs;
    await sleep(gapMin + Math.floor(random() * (gapMax - gapMin)));
    if (fault === 'app') {
      await app.kill();
      chaos.appRestartMs.push(await startApp(app));
    } else {
      const mode: StopMode = chaos.stops.sigkill <= chaos.stops.immediate ? 'sigkill' : 'immediate';
      chaos.stops[mode] += 1;
      const stoppedAt = Date.now();
      await cluster.crash(mode);
      await sleep(500);
      await cluster.start();
      chaos.postgresRestartMs.push(Date.now() - stoppedAt);
    }
    if (!app.running()) chaos.appRestartMs.push(await startApp(app));
    options.progress(`crash: fault ${index + 1}/${faults.length} (${fault === 'app'
      ? 'app SIGKILL' : 'PostgreSQL stopped abruptly'}) ${status()}`);
  }
  return chaos;
}

function statusOf(figures: StreamFigures): string {
  return `payments ${figures.payments}, deliveries ${figures.deliveries}, answered 200 ` +
    `${figures.answered200}, other answers ${figures.answeredOther}, connection failures ` +
    `${figures.connectionFailures}`;
}

export async function runCrashSuite(options: CrashRunOptions): Promise<CrashRunResult> {
  const startedAt = Date.now();
  const folder = mkdtempSync(path.join(tmpdir(), 'huduma-fault-crash-'));
  const cluster = await createPrivateCluster();
  let database: DatabaseHandle | undefined;
  let app: AppProcess | undefined;
  try {
    await cluster.adminQuery('create database huduma');
    const databaseUrl = cluster.url('huduma');
    app = appProcess({ port: await freePort(), databaseUrl, dataDirectory: path.join(folder,
      'data'), logFile: path.join(folder, 'app.log') });
    await startApp(app);
    database = await openPostgresDatabase(databaseUrl, { role: appRole });
    const invoices = await createInvoices(database, options.invoices);
    options.progress(`crash: ${invoices.length} invoices; stream and faults begin`);
    const stream = startConfirmationStream({ appUrl: app.url, invoices, seed: options.seed,
      senders: options.senders, pauseMs: options.pauseMs, duplicateShare: 0.15,
      unknownShare: 0.1 });
    const chaos = await inflictFaults(options, cluster, app, () => statusOf(stream.figures()));
    await sleep(options.faultGapMs[0]);
    await stream.finish(180_000);
    options.progress(`crash: every delivery answered 200; ${statusOf(stream.figures())}`);
    await app.stop();
    const swept = await sweepStoredCallbacks(database);
    options.progress(`crash: the app stopped; the sweep processed ${swept} stored callback(s)`);
    const audit = await hudumaCommand(databaseUrl, ['audit', 'verify']);
    const ledger = await hudumaCommand(databaseUrl, ['ledger', 'check']);
    if (ledger.code !== 0) options.progress(ledger.output);
    const check = await checkAfterCrashes(database.db, { sent: stream.sent(),
      receiptPrefix: 'FLT', invoiceIds: invoices.map((invoice) => invoice.id),
      shortcode: crashShortcode });
    return {
      check, stream: stream.figures(), appKills: options.appKills,
      postgresStops: chaos.stops, unplannedAppExits: app.unplannedExits(),
      appRestartMs: chaos.appRestartMs, postgresRestartMs: chaos.postgresRestartMs,
      seconds: (Date.now() - startedAt) / 1000, auditVerified: audit.code === 0,
      ledgerCommandPassed: ledger.code === 0,
    };
  } finally {
    await app?.kill();
    await database?.close();
    await cluster.remove();
    if (process.env.HUDUMA_FAULT_KEEP_LOGS === '1') options.progress(`crash: logs in ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}
