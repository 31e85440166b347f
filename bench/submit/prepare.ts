/**
 * The submit benchmark's database: a fresh PostgreSQL database (or PGlite folder) per run,
 * migrated, holding the demo catalogue with its forms, and N applicants, each signed in (a
 * session made directly in the database, as test/helpers/sessions.ts does) with a draft of the
 * one-year driving licence renewal whose answers are complete (saved with saveAnswers, read
 * from the same fields the form's pages post). Dropped at the end of the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig } from '#config';
import { systemClock } from '#platform/clock/index.ts';
import {
  migrate,
  openEmbeddedDatabase,
  openPostgresDatabase,
  type DatabaseHandle,
  type DatabaseKind,
} from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { seedDemoCatalogue } from '#modules/catalogue/index.ts';
import {
  demoForms,
  saveAnswers,
  seedDemoForms,
  startApplication,
  type ApplicationsDeps,
} from '#modules/applications/index.ts';
import {
  readPage,
  validateAnswers,
  type Answers,
} from '../../src/modules/applications/forms/index.ts';
import {
  csrfTokenForSession,
  identityCookieNames,
  startSessionInTrx,
  type IdentityTables,
} from '#modules/identity/index.ts';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const postgresAdminUrl = process.env.HUDUMA_BENCH_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
export const serviceSlug = 'driving-licence-renewal-one-year';

/** One applicant ready to submit: what a request needs, and the application it submits. */
export type SubmitTarget = Readonly<{ applicationId: string; cookie: string; csrf: string }>;

export type BenchDatabase = Readonly<{
  kind: DatabaseKind;
  /** Environment that points the app at this database. */
  env: Readonly<Record<string, string>>;
  description: string;
  /** PostgreSQL only: to read its counters (pg-stats.ts). */
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

export async function createBenchDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  if (kind === 'pglite') {
    const directory = path.join(repositoryRoot, 'bench', '.out', `submit-${suffix}`);
    await mkdir(directory, { recursive: true });
    return {
      kind, env: { HUDUMA_DATA_DIR: directory },
      description: 'PGlite (embedded, WASM, in the app process)', url: undefined,
      open: () => openEmbeddedDatabase(directory),
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  }
  const name = `huduma_bench_submit_${suffix}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind, env: { DATABASE_URL: url.toString() }, url: url.toString(),
    description: `PostgreSQL (${url.host}/${name}, dropped afterwards)`,
    open: () => openPostgresDatabase(url.toString(), { statementTimeoutMs: 10 * 60_000 }),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

/** The fields the two pages of the form post, as
 * src/modules/applications/application-routes.test.ts posts them. */
const postedPages: ReadonlyArray<readonly [string, Record<string, string | string[]>]> = [
  ['licence', { licenceNumber: 'DL1234567', idNumber: '12345678', 'expiryDate.day': '1',
    'expiryDate.month': '2', 'expiryDate.year': '2027', licenceClasses: ['B'] }],
  ['medical', { medicalCondition: 'no', declaration: 'yes' }],
];

/** The complete answers, read by the form engine from those fields (and checked here). */
function completeAnswers(): Answers {
  const form = demoForms[serviceSlug];
  if (form === undefined) throw new Error(`no demo form for ${serviceSlug}`);
  let answers: Answers = {};
  for (const [pageId, fields] of postedPages) {
    const read = readPage(form, pageId, { fields, files: [] }, answers);
    if (read.errors.length > 0) throw new Error(`page ${pageId}: ${JSON.stringify(read.errors)}`);
    answers = read.answers;
  }
  const errors = validateAnswers(form, answers);
  if (errors.length > 0) throw new Error(`answers incomplete: ${JSON.stringify(errors)}`);
  return answers;
}

/** Accounts with live sessions, `chunk` per transaction; returns ids, cookies, CSRF tokens. */
async function signInApplicants(handle: DatabaseHandle, count: number, now: Date):
  Promise<{ accountId: string; cookie: string; csrf: string }[]> {
  const db: Kysely<IdentityTables> = handle.db.withTables<IdentityTables>();
  const cookieName = identityCookieNames(false).session;
  const signedIn: { accountId: string; cookie: string; csrf: string; sessionId: string }[] = [];
  const chunk = 200;
  for (let start = 0; start < count; start += chunk) {
    await db.transaction().execute(async (trx) => {
      for (let index = start; index < Math.min(count, start + chunk); index += 1) {
        const accountId = uuidv7();
        await trx.insertInto('account').values({
          id: accountId, kind: 'citizen', document_type: 'national_id',
          document_number: `7${String(index).padStart(7, '0')}`, first_name: 'Bench',
          middle_name: null, last_name: `Applicant ${index}`, birth_date: '1990-01-01',
          business_name: null, password_hash: '$scrypt$ln=1,r=1,p=1$AAAA$AAAA',
          phone: '+254700000000', email: null, created_at: now, updated_at: now,
        }).execute();
        const session = await startSessionInTrx(trx, { kind: 'account', id: accountId },
          { deviceLabel: 'Benchmark' }, now);
        signedIn.push({ accountId, sessionId: session.sessionId, csrf: '',
          cookie: `${cookieName}=${session.token}` });
      }
    });
  }
  for (const applicant of signedIn) {
    applicant.csrf = await csrfTokenForSession(handle.db, applicant.sessionId, now);
  }
  return signedIn;
}

/** Runs `job` over 0..count-1 with `lanes` at a time; reports progress every 10%. */
async function inLanes(count: number, lanes: number, label: string,
  job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.floor(count / 10));
  const lane = async () => {
    for (let index = next++; index < count; index = next++) {
      await job(index);
      done += 1;
      if (done % step === 0) process.stderr.write(`bench:submit   ${label}: ${done}/${count}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
}

/**
 * Migrates and fills the database: demo catalogue and forms, `count` applicants each with a
 * complete draft. Leaves the database closed (PGlite opens from one process at a time).
 */
export async function prepareApplications(database: BenchDatabase, count: number):
  Promise<SubmitTarget[]> {
  const handle = await database.open();
  try {
    await migrate(handle.db);
    const config = loadConfig({ ...process.env, ...database.env, HUDUMA_ENV: 'development',
      HUDUMA_DEMO_DATA: 'off', LOG_LEVEL: 'warn' });
    const deps: ApplicationsDeps = { db: handle.db, clock: systemClock, config,
      logger: createLogger({ level: 'warn' }) };
    await seedDemoCatalogue(deps);
    await seedDemoForms(deps);
    const now = new Date();
    const applicants = await signInApplicants(handle, count, now);
    const answers = completeAnswers();
    const targets: SubmitTarget[] = new Array<SubmitTarget>(count);
    const lanes = database.kind === 'postgres' ? 8 : 1;
    await inLanes(count, lanes, 'drafts', async (index) => {
      const applicant = applicants[index];
      if (applicant === undefined) throw new Error('applicant missing');
      const who = { accountId: applicant.accountId, forAccountId: applicant.accountId };
      const started = await startApplication(deps, { service: serviceSlug, who,
        clientActionId: uuidv7(), now: new Date() });
      if (!started.ok) throw new Error(`start: ${started.error.code}`);
      const saved = await saveAnswers(deps, { applicationId: started.value.id, who, answers,
        now: new Date() });
      if (!saved.ok) throw new Error(`save: ${saved.error.code}`);
      targets[index] = { applicationId: started.value.id, cookie: applicant.cookie,
        csrf: applicant.csrf };
    });
    return targets;
  } finally {
    await handle.close();
  }
}
