/**
 * The ingest benchmark's databases: a fresh PostgreSQL database (or PGlite folder) per run,
 * migrated, holding one agency, one priced service (KES 1,000 + KES 50 access fee) and as many
 * open invoices as the run will pay, inserted in bulk. Dropped at the end of the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import {
  migrate,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
  type DatabaseKind,
} from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { generateBillReference } from '#modules/payments/index.ts';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const postgresAdminUrl = process.env.HUDUMA_BENCH_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export const benchIds = Object.freeze({
  ministry: '00000000-0000-7000-8000-0000000be001',
  agency: '00000000-0000-7000-8000-0000000be002',
  service: '00000000-0000-7000-8000-0000000be003',
  feeVersion: '00000000-0000-7000-8000-0000000be004',
  payer: '00000000-0000-7000-8000-0000000be005',
});
export const invoiceTotalMinor = 1_050_00n;
const insertChunk = 1_000;

export type BenchDatabase = Readonly<{
  kind: DatabaseKind;
  /** Environment that points the app at this database. */
  env: Readonly<Record<string, string>>;
  /** For pgbench (PostgreSQL only). */
  url: string | undefined;
  open: () => Promise<DatabaseHandle>;
  drop: () => Promise<void>;
}>;

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

export async function createBenchDatabase(kind: DatabaseKind, label: string):
  Promise<BenchDatabase> {
  const suffix = `${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  if (kind === 'pglite') {
    const directory = path.join(repositoryRoot, 'bench', '.out', `ingest-${suffix}`);
    await mkdir(directory, { recursive: true });
    return {
      kind, env: { HUDUMA_DATA_DIR: directory }, url: undefined,
      open: () => openEmbeddedDatabase(directory),
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  }
  const name = `huduma_bench_ingest_${suffix}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind, env: { DATABASE_URL: url.toString() }, url: url.toString(),
    open: () => openPostgresDatabase(url.toString(), { statementTimeoutMs: 10 * 60_000 }),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function insertFixture(db: Kysely<unknown>): Promise<void> {
  await sql`insert into ministry (id, slug, name_en, origin)
    values (${benchIds.ministry}, 'bench-ministry', 'Bench ministry', 'synthetic')`.execute(db);
  await sql`insert into agency (id, ministry_id, slug, name_en, origin)
    values (${benchIds.agency}, ${benchIds.ministry}, 'bench-agency', 'Bench agency',
      'synthetic')`.execute(db);
  await sql`insert into service (id, agency_id, slug, name_en, origin)
    values (${benchIds.service}, ${benchIds.agency}, 'bench-service', 'Bench service',
      'synthetic')`.execute(db);
  await sql`insert into fee_schedule_version (id, service_id, version, amount_minor, currency,
      effective_from) values (${benchIds.feeVersion}, ${benchIds.service}, 1, 100000, 'KES',
      '2020-01-01')`.execute(db);
  // The payer has an account with a phone: every payment queues an SMS, as in production.
  await sql`insert into account (id, kind, document_type, document_number, first_name,
      last_name, birth_date, phone, language, created_at, updated_at)
    values (${benchIds.payer}, 'citizen', 'national_id', '10000001', 'Bench', 'Payer',
      '1990-01-01', '+254700000001', 'sw', now(), now())`.execute(db);
  // The audit chain has a first record, as any running platform's has.
  await db.transaction().execute((trx) => recordAuditInTrx(trx, {
    action: 'BENCHMARK_PREPARED', actor: { kind: 'system', id: 'bench' },
    subject: { type: 'benchmark', id: null },
  }, new Date()));
}

/** Inserts `count` open invoices (KES 1,050.00 each); returns their references in order. */
async function insertInvoices(db: Kysely<unknown>, count: number): Promise<string[]> {
  const references: string[] = [];
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 30 * 24 * 3_600_000);
  for (let start = 0; start < count; start += insertChunk) {
    const rows = Array.from({ length: Math.min(insertChunk, count - start) }, () =>
      ({ id: uuidv7(), reference: generateBillReference(randomBytes) }));
    references.push(...rows.map((row) => row.reference));
    await sql`insert into invoice (id, reference, service_id, agency_id, payer_account_id,
        currency, total_minor, issued_at, expires_at)
      select id::uuid, reference, ${benchIds.service}::uuid, ${benchIds.agency}::uuid,
        ${benchIds.payer}::uuid, 'KES', ${invoiceTotalMinor}::int8, ${now}::timestamptz,
        ${expiresAt}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (id text, reference text)`
      .execute(db);
    await sql`insert into invoice_line (invoice_id, line_number, kind, description, amount_minor,
        currency, fee_schedule_version_id, fee_schedule_version)
      select id::uuid, 1, 'service_fee', 'Bench service', 100000, 'KES',
        ${benchIds.feeVersion}::uuid, 1
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (id text)`.execute(db);
    await sql`insert into invoice_line (invoice_id, line_number, kind, description, amount_minor,
        currency) select id::uuid, 2, 'access_fee', 'Access fee', 5000, 'KES'
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (id text)`.execute(db);
  }
  return references;
}

/** Migrates the database and fills it; returns the invoice references, in order. */
export async function prepareBenchDatabase(database: BenchDatabase, invoices: number):
  Promise<string[]> {
  const handle = await database.open();
  try {
    await migrate(handle.db);
    const db = handle.db as unknown as Kysely<unknown>;
    await insertFixture(db);
    return await insertInvoices(db, invoices);
  } finally {
    await handle.close();
  }
}
