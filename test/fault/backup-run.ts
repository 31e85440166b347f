/**
 * The backup and restore drill. PostgreSQL: while the app takes a stream of confirmations,
 * the roles (`pg_dumpall --globals-only`) and the database (`pg_dump -Fc`) are backed up;
 * they are restored into a fresh cluster (psql, `pg_restore --exit-on-error`), where stored
 * callbacks are swept, `huduma ledger check` and `huduma audit verify` run, and every
 * confirmation acknowledged before the backup began must be there. Embedded (PGlite): the
 * app is stopped (SIGTERM), its data folder copied, and the same checks run on the copy.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  appRole,
  openAppDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
} from '#platform/db/index.ts';
import { freePort } from '#test/helpers/payments.ts';
import { appProcess } from './crash-app.ts';
import { missingFromCopy, type RestoreCheck } from './backup-check.ts';
import { createInvoices, hudumaCommand, startApp, sweepStoredCallbacks } from './crash-run.ts';
import { createPrivateCluster } from './crash-postgres.ts';
import {
  startConfirmationStream,
  type SentPayment,
  type StreamInvoice,
} from './crash-stream.ts';

const run = promisify(execFile);

export type DrillOptions = Readonly<{
  invoices: number;
  /** How long the stream runs before the backup begins. */
  streamMs: number;
  seed: number;
  progress: (line: string) => void;
}>;

export type DrillResult = Readonly<{
  database: 'postgres' | 'pglite';
  check: RestoreCheck;
  paymentsSent: number;
  backupMs: number;
  backupBytes: number;
  restoreMs: number;
  /** payments sweep, ledger check and audit verify on the restored copy. */
  checksMs: number;
}>;

function folderBytes(folder: string): number {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((entry) => statSync(path.join(folder, entry)))
    .reduce((total, stat) => total + (stat.isFile() ? stat.size : 0), 0);
}

type CopyChecks = Readonly<{ ledger: boolean; audit: boolean; checksMs: number;
  missing: string[]; payments: number }>;

/**
 * On the restored copy: stored callbacks swept, `huduma ledger check` and `huduma audit
 * verify` run as commands, and the acknowledged confirmations looked for. The copy is opened
 * only while needed: an embedded database has one process at a time.
 */
async function checksOnCopy(open: () => Promise<DatabaseHandle>,
  databaseUrl: string | undefined, env: Readonly<Record<string, string>>,
  acknowledged: readonly SentPayment[]): Promise<CopyChecks> {
  const startedAt = Date.now();
  const swept = await open();
  try {
    await sweepStoredCallbacks(swept);
  } finally {
    await swept.close();
  }
  const ledger = await hudumaCommand(databaseUrl, ['ledger', 'check'], env);
  const audit = await hudumaCommand(databaseUrl, ['audit', 'verify'], env);
  const checksMs = Date.now() - startedAt;
  const restored = await open();
  try {
    const found = await missingFromCopy(restored.db, acknowledged);
    return { ledger: ledger.code === 0, audit: audit.code === 0, checksMs, ...found };
  } finally {
    await restored.close();
  }
}

function resultOf(database: DrillResult['database'], figures: Omit<DrillResult,
  'database' | 'check' | 'checksMs'>, acknowledged: number, checks: CopyChecks): DrillResult {
  return { database, ...figures, checksMs: checks.checksMs,
    check: { acknowledgedBeforeBackup: acknowledged, missing: checks.missing,
      paymentsInCopy: checks.payments, ledgerCheck: checks.ledger, auditVerify: checks.audit } };
}

export async function postgresDrill(options: DrillOptions): Promise<DrillResult> {
  const folder = mkdtempSync(path.join(tmpdir(), 'huduma-fault-backup-'));
  const source = await createPrivateCluster();
  const target = await createPrivateCluster();
  try {
    await source.adminQuery('create database huduma');
    const app = appProcess({ port: await freePort(), databaseUrl: source.url('huduma'),
      dataDirectory: path.join(folder, 'data'), logFile: path.join(folder, 'app.log') });
    await startApp(app);
    const database = await openPostgresDatabase(source.url('huduma'), { role: appRole });
    const invoices = await createInvoices(database, options.invoices);
    await database.close();
    const stream = startConfirmationStream({ appUrl: app.url, invoices, seed: options.seed,
      senders: 4, pauseMs: 20, duplicateShare: 0.1, unknownShare: 0.1 });
    await sleep(options.streamMs);
    const acknowledged = stream.acknowledged();
    options.progress(`backup: ${acknowledged.length} confirmations acknowledged; pg_dump ` +
      'of the running database begins');
    const globals = path.join(folder, 'globals.sql');
    const dump = path.join(folder, 'huduma.dump');
    const startedAt = Date.now();
    const at = ['-h', '127.0.0.1', '-p', String(source.port), '-U', 'postgres'];
    await run(path.join(source.bin, 'pg_dumpall'), [...at, '--globals-only', '-f', globals]);
    await run(path.join(source.bin, 'pg_dump'), [...at, '-Fc', '-f', dump, 'huduma']);
    const backupMs = Date.now() - startedAt;
    await stream.finish(120_000);
    await app.stop();
    options.progress(`backup: dumped in ${backupMs} ms; restoring into a fresh cluster`);
    const restoredAt = Date.now();
    const into = ['-h', '127.0.0.1', '-p', String(target.port), '-U', 'postgres'];
    // The fresh cluster has its superuser already: that one line of the globals fails.
    await run(path.join(target.bin, 'psql'), [...into, '-q', '-f', globals, 'postgres']);
    await target.adminQuery('create database huduma');
    await run(path.join(target.bin, 'pg_restore'), [...into, '--exit-on-error', '-d', 'huduma',
      dump]);
    const restoreMs = Date.now() - restoredAt;
    const checks = await checksOnCopy(async () => (await openAppDatabase({
      databaseUrl: target.url('huduma'), dataDirectory: undefined })).database,
    target.url('huduma'), {}, acknowledged);
    return resultOf('postgres', { paymentsSent: stream.figures().payments, backupMs,
      backupBytes: statSync(dump).size, restoreMs }, acknowledged.length, checks);
  } finally {
    await source.remove();
    await target.remove();
    rmSync(folder, { recursive: true, force: true });
  }
}

async function prepareEmbedded(dataDirectory: string, count: number): Promise<StreamInvoice[]> {
  const { database } = await openAppDatabase({ databaseUrl: undefined, dataDirectory });
  try {
    return await createInvoices(database, count);
  } finally {
    await database.close();
  }
}

export async function embeddedDrill(options: DrillOptions): Promise<DrillResult> {
  const folder = mkdtempSync(path.join(tmpdir(), 'huduma-fault-backup-'));
  const live = path.join(folder, 'live');
  const copy = path.join(folder, 'copy');
  const restoredFolder = path.join(folder, 'restored');
  try {
    const invoices = await prepareEmbedded(live, options.invoices);
    const app = appProcess({ port: await freePort(), databaseUrl: undefined,
      dataDirectory: live, logFile: path.join(folder, 'app.log') });
    await startApp(app);
    const stream = startConfirmationStream({ appUrl: app.url, invoices, seed: options.seed,
      senders: 4, pauseMs: 20, duplicateShare: 0.1, unknownShare: 0.1 });
    await sleep(options.streamMs);
    await stream.finish(120_000);
    const acknowledged = stream.acknowledged();
    await app.stop();
    options.progress(`backup: ${acknowledged.length} confirmations acknowledged; the app ` +
      'stopped, its data folder copied');
    const startedAt = Date.now();
    cpSync(live, copy, { recursive: true });
    const backupMs = Date.now() - startedAt;
    rmSync(live, { recursive: true, force: true });
    // Restoring is copying the backup into a fresh folder the app is then pointed at.
    const restoredAt = Date.now();
    cpSync(copy, restoredFolder, { recursive: true });
    const restoreMs = Date.now() - restoredAt;
    const checks = await checksOnCopy(async () => (await openAppDatabase({
      databaseUrl: undefined, dataDirectory: restoredFolder })).database,
    undefined, { HUDUMA_DATA_DIR: restoredFolder }, acknowledged);
    return resultOf('pglite', { paymentsSent: stream.figures().payments, backupMs,
      backupBytes: folderBytes(copy), restoreMs }, acknowledged.length, checks);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
