/**
 * bench/reconcile (`npm run bench:reconcile -- [--lines N] [--missing M] [--parsed]`): on a fresh
 * PostgreSQL database, N payments with their ledger entries are generated in bulk with SQL
 * (generate_series, not through the app), and a paybill statement of the same N receipts plus
 * M the platform never heard of (missing callbacks) is written to a CSV file with its running
 * balance. Then, timed in the same run:
 * - ours: `reconcileStatementCsv` on the file (streamed import, set-based matching, missing
 *   callbacks through payments, the balance proof, findings), with the process's RSS sampled
 *   every 50 ms (high-water mark) and the kernel's maxRSS;
 * - the baseline: psql `\copy` of the same file into a plain table, plus one SQL join of it
 *   against payment by receipt.
 * Each starts after a CHECKPOINT. Goal: ours <= 3x the baseline, peak RSS <= 1 GiB. Prints a
 * JSON report; drops the database.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '#config';
import { reconcileStatementCsv } from '#modules/reconciliation/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { migrate, type DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { MetricsRegistry } from '#platform/metrics/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { createBenchDatabase, repositoryRoot } from '../ingest/bench-db.ts';

const run = promisify(execFile);
const shortcode = '222222';
const goalRatio = 3;
const goalBytes = 1024 ** 3;

type Sizes = Readonly<{ lines: number; missing: number; parsed: boolean }>;

function sizes(): Sizes {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' },
    missing: { type: 'string', default: '1000' }, parsed: { type: 'boolean', default: false } } });
  const lines = Number(values.lines);
  const missing = Number(values.missing);
  if (!Number.isSafeInteger(lines) || lines < 1 || !Number.isSafeInteger(missing) ||
    missing < 0) throw new Error('--lines and --missing take whole numbers');
  return { lines, missing, parsed: values.parsed };
}

/** N payments held in suspense, each with its receipt entry (Dr collection, Cr suspense). */
async function generatePayments(handle: DatabaseHandle, count: number): Promise<void> {
  await handle.db.transaction().execute(async (trx) => {
    // Bulk data set-up as the owner: the per-entry balance triggers would check 1M entries.
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`insert into ledger_account (code, currency, kind, type, normal_side) values
      (${`collection:mpesa:${shortcode}`}, 'KES', 'collection:mpesa', 'asset', 'debit'),
      ('suspense', 'KES', 'suspense', 'liability', 'credit')
      on conflict do nothing`.execute(trx);
    await sql`insert into payment (id, provider, provider_reference, channel, shortcode,
        amount_minor, currency, account_reference, disposition, paid_at, recorded_at)
      select gen_random_uuid(), 'mpesa', 'RB' || lpad(i::text, 10, '0'), 'mpesa_c2b',
        ${shortcode}, 10000 + (i % 97) * 100, 'KES', 'BENCH' || (i % 1000),
        'suspense', timestamptz '2026-11-01 00:00:00+03' + i * interval '1 second', now()
      from generate_series(1, ${count}) as i`.execute(trx);
    await sql`insert into ledger_entry (id, code, currency, idempotency_key, reference,
        occurred_at, recorded_at)
      select gen_random_uuid(), 'RECEIPT_HELD_IN_SUSPENSE', 'KES',
        'mpesa:' || provider_reference || ':receipt',
        jsonb_build_object('providerReceipt', 'mpesa:' || provider_reference, 'paymentId', id),
        paid_at, now() from payment`.execute(trx);
    await sql`insert into ledger_line (entry_id, line_number, account_code, currency, side,
        amount_minor)
      select e.id, s.n, case s.n when 1 then ${`collection:mpesa:${shortcode}`}
          else 'suspense' end, 'KES', case s.n when 1 then 'debit' else 'credit' end,
        p.amount_minor
      from ledger_entry e join payment p
        on e.idempotency_key = 'mpesa:' || p.provider_reference || ':receipt',
        (values (1), (2)) as s (n)`.execute(trx);
  });
  await sql`analyze`.execute(handle.db);
}

/** The statement: the N receipts, then M unknown ones, with the running balance. */
async function writeStatement(url: string, file: string, total: number): Promise<void> {
  const query = `select receipt as "Receipt No.", t as "Completion Time",
      t as "Initiation Time", 'Pay Bill from 2547******149 - BENCH PAYER Acc. ' || ref
        as "Details", 'Completed' as "Transaction Status", to_char(amount / 100.0, 'FM999999990.00')
        as "Paid In", '' as "Withdrawn",
      to_char(sum(amount) over (order by i) / 100.0, 'FM999999999990.00') as "Balance",
      'true' as "Balance Confirmed", 'Pay Bill' as "Reason Type",
      '2547******149 - BENCH PAYER' as "Other Party Info", '' as "Linked Transaction ID",
      ref as "A/C No."
    from (select i, 'RB' || lpad(i::text, 10, '0') as receipt,
        10000 + (i % 97) * 100 as amount, 'BENCH' || (i % 1000) as ref,
        to_char((timestamptz '2026-11-01 00:00:00+03' + i * interval '1 second')
          at time zone 'Africa/Nairobi', 'YYYY-MM-DD HH24:MI:SS') as t
      from generate_series(1, ${total}) as i) as s order by i`;
  await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c',
    `\\copy (${query.replaceAll('\n', ' ')}) to '${file}' with (format csv, header)`]);
}

type Sample = { peakRss: number };

function sampleRss(sample: Sample): () => void {
  const timer = setInterval(() => {
    sample.peakRss = Math.max(sample.peakRss, process.memoryUsage.rss());
  }, 50);
  return () => clearInterval(timer);
}

async function timeOurs(deps: ModuleDeps, file: string) {
  const sample: Sample = { peakRss: process.memoryUsage.rss() };
  const stop = sampleRss(sample);
  const steps: Record<string, number> = {};
  const started = performance.now();
  let last = started;
  let step = 'stage';
  const report = await reconcileStatementCsv(deps, { csv: createReadStream(file), shortcode,
    startedBy: 'system:bench', onProgress: (progress) => {
      if (progress.step === step) return;
      const now = performance.now();
      steps[step] = Math.round(now - last);
      last = now;
      step = progress.step;
    } });
  const ms = performance.now() - started;
  steps[step] = Math.round(performance.now() - last);
  stop();
  return { ms: Math.round(ms), steps, peakRssBytes: sample.peakRss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024, status: report.run.status,
    lines: report.run.lineCount, findings: report.run.findingCount,
    classes: Object.fromEntries(report.classes.map((row) => [row.name, row.count])) };
}

async function timeBaseline(handle: DatabaseHandle, url: string, file: string) {
  await sql`create table baseline_line ("Receipt No." text, "Completion Time" text,
    "Initiation Time" text, "Details" text, "Transaction Status" text, "Paid In" text,
    "Withdrawn" text, "Balance" text, "Balance Confirmed" text, "Reason Type" text,
    "Other Party Info" text, "Linked Transaction ID" text, "A/C No." text)`.execute(handle.db);
  const started = performance.now();
  await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c',
    `\\copy baseline_line from '${file}' with (format csv, header)`]);
  const copied = performance.now();
  const joined = await sql<{ matched: string }>`select count(*) as matched
    from baseline_line b join payment p on p.provider = 'mpesa'
      and p.provider_reference = b."Receipt No."
      and p.amount_minor = round(b."Paid In"::numeric * 100)`.execute(handle.db);
  const done = performance.now();
  return { ms: Math.round(done - started), copyMs: Math.round(copied - started),
    joinMs: Math.round(done - copied), matched: Number(joined.rows[0]?.matched) };
}

async function main(): Promise<void> {
  const { lines, missing, parsed } = sizes();
  const database = await createBenchDatabase('postgres', 'reconcile');
  const folder = path.join(repositoryRoot, 'bench', '.out');
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `reconcile-${process.pid}.csv`);
  const url = database.url ?? '';
  const handle = await database.open();
  try {
    await migrate(handle.db);
    process.stderr.write(`generating ${lines} payments and a ${lines + missing}-line ` +
      'statement...\n');
    await generatePayments(handle, lines);
    await writeStatement(url, file, lines + missing);
    // DATABASE_URL set: the checked lines go through COPY (the PostgreSQL path); --parsed
    // leaves it unset, so they are written by multi-row INSERTs (the PGlite path).
    const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_MPESA_SHORTCODE: shortcode,
      ...(parsed ? {} : { DATABASE_URL: url }) });
    const deps: ModuleDeps = { config, db: handle.db, databaseKind: 'postgres',
      clock: systemClock, logger: createLogger({ level: 'silent' }),
      metrics: new MetricsRegistry() };
    // Each timed part starts after a checkpoint: neither pays for the other's (or the
    // set-up's) writes being flushed, nor for the full-page images that follow a checkpoint
    // which happens to start during it.
    await sql`checkpoint`.execute(handle.db);
    process.stderr.write('reconciling...\n');
    const ours = await timeOurs(deps, file);
    await sql`checkpoint`.execute(handle.db);
    process.stderr.write('baseline: COPY and one join...\n');
    const baseline = await timeBaseline(handle, url, file);
    const ratio = ours.ms / Math.max(baseline.ms, 1);
    process.stdout.write(`${JSON.stringify({
      machine: { cpus: (await import('node:os')).cpus().length,
        memoryBytes: (await import('node:os')).totalmem(), node: process.version },
      path: parsed ? 'multi-row INSERTs (the PGlite path)' : 'COPY',
      lines: lines + missing, payments: lines, fileBytes: (await stat(file)).size, ours,
      baseline, ratio: Number(ratio.toFixed(2)),
      goals: { ratioMet: ratio <= goalRatio, memoryMet: ours.peakRssBytes <= goalBytes },
    }, null, 2)}\n`);
  } finally {
    await handle.close();
    await database.drop();
    await rm(file, { force: true });
  }
}

await main();
