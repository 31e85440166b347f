/**
 * bench/report (`npm run bench:report -- [--entries N] [--runs R] [--agencies A]`): on a fresh
 * PostgreSQL database, N ledger entries are generated with SQL (generate_series, in chunks):
 * for every payment a receipt entry (Dr collection:mpesa:222222 or collection:card:visa, Cr
 * deposits:invoice; one in 50 held in suspense instead) and its invoice's covered entry (Dr
 * deposits:invoice, Cr payable:agency, Cr revenue:access-fee), over a year of Kenya days, A
 * agencies with 20 services each, one invoice per payment. The balance-check triggers are off
 * for the bulk load (session_replication_role = replica, as bench/reconcile does); reporting's
 * trigger is ENABLE ALWAYS, so the daily totals are built the same way the app builds them,
 * then folded once as the worker would.
 *
 * Timed in the same run, R times each (p50, p99): the Treasury dashboard's queries (the
 * reporting read functions on the totals) and the same functions on source 'ledger' (the raw
 * GROUP BY over ledger_line and ledger_entry); every answer of both must be equal to the cent.
 * Goal: dashboard p99 <= 1/50 of the raw aggregate's. Prints a JSON report; drops the database.
 * `--raw-runs N` times each raw aggregate N times (default 3: each reads every line);
 * `--database huduma_bench_...` times an already generated database again (kept afterwards).
 */
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import {
  collectionsByAgency,
  collectionsByChannel,
  collectionsByDay,
  collectionsByService,
  foldDailyTotals,
  loadDashboard,
  revenueByAgencyMonth,
  settlementLagByAgency,
  settlementPosition,
  type Period,
  type ReportSource,
} from '#modules/reporting/index.ts';
import {
  migrate,
  openPostgresDatabase,
  type Database,
  type DatabaseHandle,
} from '#platform/db/index.ts';
import { checkSettlementSla } from '#modules/settlement/index.ts';
import { createBenchDatabase, postgresAdminUrl } from '../ingest/bench-db.ts';

const goalRatio = 50;
const paymentsPerChunk = 250_000;
const servicesPerAgency = 20;
const days = 365;
const lastDay = '2026-11-30';

type Sizes = Readonly<{ entries: number; runs: number; rawRuns: number; agencies: number;
  database: string | undefined }>;

function sizes(): Sizes {
  const { values } = parseArgs({ options: {
    entries: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '30' },
    'raw-runs': { type: 'string', default: '3' }, agencies: { type: 'string', default: '50' },
    database: { type: 'string' } } });
  const [entries, runs, rawRuns, agencies] = [values.entries, values.runs, values['raw-runs'],
    values.agencies].map(Number);
  if (![entries, runs, rawRuns, agencies].every((n) => Number.isSafeInteger(n) &&
    n !== undefined && n >= 1)) {
    throw new Error('--entries, --runs, --raw-runs and --agencies take whole numbers >= 1');
  }
  if (values.database !== undefined && !/^huduma_bench_[a-z0-9_]+$/.test(values.database)) {
    throw new Error('--database names a bench database (huduma_bench_...)');
  }
  return { entries: entries ?? 0, runs: runs ?? 0, rawRuns: rawRuns ?? 0,
    agencies: agencies ?? 0, database: values.database };
}

const progress = (text: string): void => { process.stderr.write(`${text}\n`); };

async function insertCatalogue(db: Kysely<unknown>, agencies: number): Promise<void> {
  await sql`insert into ministry (id, slug, name_en, origin) values
    ('00000000-0000-7000-8000-00000000b001', 'bench-ministry', 'Bench ministry', 'synthetic')`
    .execute(db);
  await sql`insert into agency (id, ministry_id, slug, name_en, origin)
    select ('00000000-0000-7000-8001-' || lpad(to_hex(a), 12, '0'))::uuid,
      '00000000-0000-7000-8000-00000000b001', 'bench-agency-' || a, 'Bench agency ' || a,
      'synthetic' from generate_series(1, ${agencies}) a`.execute(db);
  await sql`insert into service (id, agency_id, slug, name_en, origin)
    select ('00000000-0000-7000-8002-' || lpad(to_hex(s), 12, '0'))::uuid,
      ('00000000-0000-7000-8001-' || lpad(to_hex((s - 1) / ${servicesPerAgency} + 1), 12, '0'))
        ::uuid, 'bench-service-' || s, 'Bench service ' || s, 'synthetic'
    from generate_series(1, ${agencies * servicesPerAgency}) s`.execute(db);
}

/** Payments first..last (inclusive): invoices, receipt and covered entries, their lines. */
async function insertChunk(db: Database, first: number, last: number, agencies: number):
  Promise<void> {
  const services = agencies * servicesPerAgency;
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    // CREATE TABLE AS takes no bind parameters: the numbers go in as literals.
    await sql`create temporary table bench_payment on commit drop as
      select i, gen_random_uuid() as invoice_id, gen_random_uuid() as receipt_id,
        gen_random_uuid() as covered_id, (i % ${sql.lit(services)}) + 1 as s,
        ((i % ${sql.lit(services)}) / ${sql.lit(servicesPerAgency)}) + 1 as a,
        (50000 + (i % 97) * 1000)::int8 as fee_minor,
        ${sql.lit(`${lastDay} 23:59:59+03`)}::timestamptz
          - ((i % ${sql.lit(days)}) * interval '1 day')
          - ((i % 3571) * interval '13 seconds') as occurred_at,
        case when i % 5 = 0 then 'collection:card:visa' else 'collection:mpesa:222222' end
          as channel, i % 50 = 0 as unmatched
      from generate_series(${sql.lit(first)}, ${sql.lit(last)}) i`.execute(trx);
    await sql`insert into invoice (id, reference, service_id, agency_id, payer_account_id,
        currency, total_minor, issued_at, expires_at)
      select invoice_id, 'R' || lpad(i::text, 10, '0'),
        ('00000000-0000-7000-8002-' || lpad(to_hex(s), 12, '0'))::uuid,
        ('00000000-0000-7000-8001-' || lpad(to_hex(a), 12, '0'))::uuid,
        '00000000-0000-7000-8000-00000000b009', 'KES', fee_minor + 5000,
        occurred_at - interval '1 hour', occurred_at + interval '30 days'
      from bench_payment`.execute(trx);
    await sql`insert into ledger_entry (id, code, currency, idempotency_key, reference,
        occurred_at)
      select receipt_id, case when unmatched then 'RECEIPT_HELD_IN_SUSPENSE'
          else 'RECEIPT_ALLOCATED_TO_INVOICE' end, 'KES', 'bench:' || i || ':receipt',
        case when unmatched then jsonb_build_object('providerReceipt', 'bench:' || i)
          else jsonb_build_object('providerReceipt', 'bench:' || i, 'invoiceId', invoice_id)
        end, occurred_at from bench_payment
      union all
      select covered_id, 'INVOICE_COVERED', 'KES', 'invoice:' || invoice_id || ':covered',
        jsonb_build_object('invoiceId', invoice_id), occurred_at + interval '1 second'
      from bench_payment where not unmatched`.execute(trx);
    await sql`insert into ledger_line (entry_id, line_number, account_code, currency, side,
        amount_minor)
      select receipt_id, 1, channel, 'KES', 'debit', fee_minor + 5000 from bench_payment
      union all
      select receipt_id, 2, case when unmatched then 'suspense'
          else 'deposits:invoice:' || invoice_id end, 'KES', 'credit', fee_minor + 5000
        from bench_payment
      union all
      select covered_id, 1, 'deposits:invoice:' || invoice_id, 'KES', 'debit', fee_minor + 5000
        from bench_payment where not unmatched
      union all
      select covered_id, 2, 'payable:agency:' ||
          ('00000000-0000-7000-8001-' || lpad(to_hex(a), 12, '0')), 'KES', 'credit', fee_minor
        from bench_payment where not unmatched
      union all
      select covered_id, 3, 'revenue:access-fee', 'KES', 'credit', 5000
        from bench_payment where not unmatched`.execute(trx);
  });
}

async function generate(db: Database, entries: number, agencies: number): Promise<void> {
  // Each payment makes two entries, one in 50 (held in suspense) only one.
  const payments = Math.ceil(entries / (2 - 1 / 50));
  const started = performance.now();
  for (let first = 1; first <= payments; first += paymentsPerChunk) {
    const last = Math.min(payments, first + paymentsPerChunk - 1);
    await insertChunk(db, first, last, agencies);
    const seconds = (performance.now() - started) / 1000;
    progress(`generated ${last.toLocaleString('en')} of ${payments.toLocaleString('en')} ` +
      `payments (${seconds.toFixed(0)} s)`);
  }
}

type Query = Readonly<{ name: string; run: (source: ReportSource) => Promise<unknown> }>;

function dashboardQueries(db: Database, period: Period): readonly Query[] {
  return [
    { name: 'collections by day', run: (source) => collectionsByDay(db, period, 'all', source) },
    { name: 'collections by agency',
      run: (source) => collectionsByAgency(db, period, 'all', source) },
    { name: 'collections by service',
      run: (source) => collectionsByService(db, period, 'all', source) },
    { name: 'collections by channel',
      run: (source) => collectionsByChannel(db, period, 'all', source) },
    { name: 'settled vs awaiting, suspense',
      run: (source) => settlementPosition(db, period, 'all', source) },
    { name: 'revenue by agency and month',
      run: (source) => revenueByAgencyMonth(db, period, source) },
  ];
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;

async function time(run: () => Promise<unknown>, runs: number):
  Promise<{ answer: string; p50Ms: number; p99Ms: number }> {
  const samples: number[] = [];
  let answer = '';
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    const result = await run();
    samples.push(performance.now() - started);
    answer = JSON.stringify(result, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value);
  }
  samples.sort((a, b) => a - b);
  return { answer, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
}

async function measure(db: Database, sizes: Sizes) {
  const periods: Readonly<Record<string, Period>> = {
    'last 30 days': { from: '2026-11-01', to: lastDay },
    'whole year': { from: '2025-12-01', to: lastDay },
  };
  const results = [];
  for (const [periodName, period] of Object.entries(periods)) {
    for (const query of dashboardQueries(db, period)) {
      progress(`timing ${query.name}, ${periodName}`);
      const dashboard = await time(() => query.run('totals'), sizes.runs);
      // The raw aggregate reads every line: fewer runs (--raw-runs) keep the bench to minutes.
      const raw = await time(() => query.run('ledger'), sizes.rawRuns);
      results.push({ query: query.name, period: periodName,
        dashboardP50Ms: round(dashboard.p50Ms), dashboardP99Ms: round(dashboard.p99Ms),
        rawP50Ms: round(raw.p50Ms), rawP99Ms: round(raw.p99Ms),
        ratio: round(raw.p50Ms / dashboard.p99Ms), equal: dashboard.answer === raw.answer,
        rows: (JSON.parse(dashboard.answer) as unknown[]).length });
    }
  }
  return results;
}

/**
 * The whole page's data, as the route loads it (30 days, every agency): the queries above plus
 * names and the settlement lag, which the page reads from the measure settlement's hourly SLA
 * check keeps (the check itself, timed once here, reads every payable line of the ledger).
 */
async function measurePage(db: Database, sizes: Sizes) {
  const period = { from: '2026-11-01', to: lastDay };
  const now = new Date(`${lastDay}T12:00:00+03:00`);
  progress('timing the hourly settlement check, the lag the page reads, and the page load');
  const check = await time(() => checkSettlementSla(db, now), 1);
  const lag = await time(() => settlementLagByAgency(db, now), sizes.runs);
  const page = await time(() => loadDashboard(db, period, 'all', now), sizes.runs);
  return { settlementCheckMs: round(check.p50Ms),
    settlementLagP50Ms: round(lag.p50Ms), settlementLagP99Ms: round(lag.p99Ms),
    pageLoadP50Ms: round(page.p50Ms), pageLoadP99Ms: round(page.p99Ms) };
}

const round = (value: number): number => Math.round(value * 100) / 100;

type Target = Readonly<{ handle: DatabaseHandle; drop: () => Promise<void>; fresh: boolean }>;

/** A fresh database, or (--database) one an earlier run generated, kept afterwards. */
async function openTarget(wanted: Sizes): Promise<Target> {
  if (wanted.database !== undefined) {
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${wanted.database}`;
    const handle = await openPostgresDatabase(url.toString(), { statementTimeoutMs: 3_600_000 });
    return { handle, drop: async () => undefined, fresh: false };
  }
  const database = await createBenchDatabase('postgres', 'report');
  return { handle: await database.open(), drop: database.drop, fresh: true };
}

async function prepare(target: Target, wanted: Sizes):
  Promise<{ generateSeconds: number | null }> {
  if (!target.fresh) return { generateSeconds: null };
  await migrate(target.handle.db);
  await insertCatalogue(target.handle.db as unknown as Kysely<unknown>, wanted.agencies);
  const started = performance.now();
  await generate(target.handle.db, wanted.entries, wanted.agencies);
  return { generateSeconds: round((performance.now() - started) / 1000) };
}

async function main(): Promise<void> {
  const wanted = sizes();
  const target = await openTarget(wanted);
  const db = target.handle.db;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  try {
    const { generateSeconds } = await prepare(target, wanted);
    const foldStarted = performance.now();
    const fold = await foldDailyTotals(db);
    const foldMs = performance.now() - foldStarted;
    progress('analyze');
    await sql`analyze`.execute(db);
    const counts = await sql<{ entries: string; lines: string; collection_rows: string;
      movement_rows: string; agencies: string }>`select
        (select count(*) from ledger_entry)::text as entries,
        (select count(*) from ledger_line)::text as lines,
        (select count(*) from reporting_collection_total)::text as collection_rows,
        (select count(*) from reporting_movement_total)::text as movement_rows,
        (select count(*) from agency)::text as agencies`.execute(db);
    const row = counts.rows[0];
    const results = await measure(db, wanted);
    const page = await measurePage(db, wanted);
    const worstRatio = Math.min(...results.map((result) => result.ratio));
    const report = { entries: Number(row?.entries), lines: Number(row?.lines),
      agencies: Number(row?.agencies), services: Number(row?.agencies) * servicesPerAgency,
      totalsRows: { collections: Number(row?.collection_rows),
        movements: Number(row?.movement_rows) },
      generateSeconds, foldMs: round(foldMs), fold, runs: wanted.runs, rawRuns: wanted.rawRuns,
      results, page, worstRatio, goalRatio, goalMet: worstRatio >= goalRatio,
      allEqual: results.every((result) => result.equal),
      peakRssBytes: peakRss, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.allEqual) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await target.handle.close();
    await target.drop();
  }
}

await main();
