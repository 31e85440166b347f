/**
 * The scale-out part of the fault suite: several app processes (`node src/main.ts`, workers
 * on) against one fresh PostgreSQL database, each on its own port as behind a reverse proxy.
 * Confirmations are spread across them (the same one to every process at once, now and
 * then); a burst of notification jobs is queued for their outbox workers to share; a service
 * is added and another renamed while they serve searches. scale-out-check.ts reads what
 * happened. Used by scale-out.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { appRole, openPostgresDatabase, type DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { enqueueNotificationsInTrx } from '#modules/notifications/index.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
import { createPostgresDatabase } from '#test/helpers/databases.ts';
import { fixtureIds, freePort, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { appProcess, type AppProcess } from './crash-app.ts';
import type { StreamInvoice } from './crash-stream.ts';
import { checkScaleOut, type ScaleOutCheck } from './scale-out-check.ts';
import { measureSearchPropagation, type SearchPropagation } from './scale-out-search.ts';
import { startSmsCounter, type SmsCounter } from './scale-out-sms.ts';
import { planTraffic, sendTraffic, type TrafficFigures } from './scale-out-traffic.ts';

export type ScaleOutOptions = Readonly<{
  processes: number;
  invoices: number;
  /** Notification jobs queued at once, on top of the payers' messages. */
  extraJobs: number;
  seed: number;
  /** Invoices whose confirmations are in flight at once. */
  concurrency: number;
  progress: (line: string) => void;
}>;

export type ScaleOutResult = Readonly<{
  check: ScaleOutCheck;
  traffic: TrafficFigures;
  search: readonly SearchPropagation[];
  startMs: readonly number[];
  trafficMs: number;
  drainMs: number;
  seconds: number;
}>;

/** A synthetic payer per invoice, with a phone, so every recorded payment sends an SMS. */
async function createInvoices(database: DatabaseHandle, count: number): Promise<StreamInvoice[]> {
  await insertPaymentsFixture(database);
  const deps = { db: database.db, clock: systemClock, logger: createLogger({ level: 'silent' }) };
  const invoices: StreamInvoice[] = [];
  for (let index = 0; index < count; index += 1) {
    const payer = uuidv7();
    const number = String(index + 1).padStart(6, '0');
    await sql`insert into account (id, kind, document_type, document_number, first_name,
        last_name, birth_date, phone, language, created_at, updated_at)
      values (${payer}, 'citizen', 'national_id', ${`99${number}`}, 'Test', 'Payer',
        '1990-01-01', ${`+254700${number}`}, 'en', now(), now())`.execute(database.db);
    const created = await createInvoiceForService(deps, { service: fixtureIds.passport,
      payerAccountId: payer, now: new Date(), allowsPartPayment: true });
    if (!created.ok) throw new Error(`invoice not created: ${created.error.code}`);
    invoices.push({ id: created.value.id, reference: created.value.reference });
  }
  return invoices;
}

async function queueExtraJobs(database: DatabaseHandle, count: number): Promise<void> {
  await database.db.transaction().execute((trx) => enqueueNotificationsInTrx(trx,
    Array.from({ length: count }, (_, index) => ({
      channel: 'sms' as const, to: `+254711${String(index).padStart(6, '0')}`,
      template: 'identity.registration-welcome', language: 'en' as const,
      params: { url: 'http://127.0.0.1/' },
    })), new Date()));
}

/** Waits until no outbox event is pending (delivered or dead); returns how long it took. */
async function waitForOutbox(database: DatabaseHandle, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    const pending = await sql<{ count: bigint }>`select count(*) as count from outbox_event
      where delivered_at is null and not dead`.execute(database.db);
    if ((pending.rows[0]?.count ?? 0n) === 0n) return Date.now() - startedAt;
    if (Date.now() - startedAt > timeoutMs) {
      const stuck = await sql<{ topic: string; count: bigint; attempts: number;
        error: string | null }>`select topic, count(*) as count, max(attempts) as attempts,
          max(last_error) as error from outbox_event where delivered_at is null and not dead
        group by topic`.execute(database.db);
      throw new Error(`outbox still has pending events after ${timeoutMs} ms: ` +
        JSON.stringify(stuck.rows, (_key, value: unknown) =>
          typeof value === 'bigint' ? Number(value) : value));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startApps(apps: readonly AppProcess[]): Promise<number[]> {
  const timed = async (app: AppProcess) => {
    const startedAt = Date.now();
    await app.start();
    return Date.now() - startedAt;
  };
  // The first migrates the empty database and makes the key files; the others start together.
  const [first, ...others] = apps;
  if (first === undefined) return [];
  const firstMs = await timed(first);
  return [firstMs, ...await Promise.all(others.map(timed))];
}

export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutResult> {
  const startedAt = Date.now();
  const folder = mkdtempSync(path.join(tmpdir(), 'huduma-fault-scale-out-'));
  const created = await createPostgresDatabase();
  let sms: SmsCounter | undefined;
  let database: DatabaseHandle | undefined;
  const apps: AppProcess[] = [];
  try {
    sms = await startSmsCounter(100);
    for (let index = 0; index < options.processes; index += 1) {
      apps.push(appProcess({ port: await freePort(), databaseUrl: created.url,
        dataDirectory: path.join(folder, 'data'), logFile: path.join(folder, `app-${index}.log`),
        env: { HUDUMA_DEV_INBOX: 'off', HUDUMA_SMS_URL: sms.urlFor(index) } }));
    }
    const startMs = await startApps(apps);
    options.progress(`scale-out: ${apps.length} processes up (${startMs.join(', ')} ms)`);
    database = await openPostgresDatabase(created.url, { role: appRole });
    const invoices = await createInvoices(database, options.invoices);
    const urls = apps.map((app) => app.url);
    await Promise.all(urls.map((url) => fetch(`${url}/api/v1/services?q=passport`)));
    const { groups, sent } = planTraffic(invoices, apps.length, options.seed);
    const trafficStartedAt = Date.now();
    const traffic = await sendTraffic(urls, groups, options.concurrency);
    const trafficMs = Date.now() - trafficStartedAt;
    options.progress(`scale-out: ${traffic.payments} payments, ${traffic.deliveries} ` +
      `deliveries answered in ${trafficMs} ms`);
    await queueExtraJobs(database, options.extraJobs);
    const drainMs = await waitForOutbox(database, 60_000);
    const search = await measureSearchPropagation(database, urls);
    const check = await checkScaleOut(database.db, { sent, invoiceIds:
      invoices.map((invoice) => invoice.id), sms: sms.sentBy(), processes: apps.length });
    return { check, traffic, search, startMs, trafficMs, drainMs,
      seconds: (Date.now() - startedAt) / 1000 };
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await database?.close();
    await sms?.close();
    await created.drop();
    if (process.env.HUDUMA_FAULT_KEEP_LOGS === '1') {
      options.progress(`scale-out: logs in ${folder}`);
    } else rmSync(folder, { recursive: true, force: true });
  }
}
