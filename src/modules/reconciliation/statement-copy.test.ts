/**
 * The PostgreSQL fast path (the checked lines COPYed into the scratch table, the classified
 * rows relayed from a second session's COPY into reconciliation_line): the same classes as
 * the PGlite path, the run's totals as a count of every line gives them, two statements
 * imported at once each numbered from line 2 without gaps (their COPYs take turns), a bad
 * line refused with its line number, a row with too many fields refused with its line, a
 * repeat that changes nothing, and a relay that fails part way keeping nothing. The scratch
 * rows are gone afterwards.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { loadConfig } from '#config';
import { openAppDatabase, type DatabaseHandle } from '#platform/db/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { testDeps } from '#test/helpers/app.ts';
import { createPostgresDatabase, postgresProblem } from '#test/helpers/databases.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { classifiedRows, stagedLineColumns } from './matching-repo.ts';
import { reconcileStatementCsv } from './reconciliation-service.ts';
import { reconciliationDb, runTotals } from './run-repo.ts';
import { copyLines } from './statement-copy.ts';
import { readStatement } from './statement-csv.ts';
import { statementText } from './test-statement.ts';

describe('reconciliation through COPY [postgres]', { skip: postgresProblem ?? false }, () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void> = async () => undefined;
  let deps: ModuleDeps;
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 3, 6, minute));
  const text = statementText([
    { receipt: 'RCP0000001', at: at(0), paidInMinor: 120_00n, reference: 'A1' },
    { receipt: 'RCP0000001', at: at(0), paidInMinor: 120_00n, reference: 'A1',
      balanceMinor: 120_00n },
    { receipt: 'SCP0000001', at: at(1), withdrawnMinor: 20_00n },
    { receipt: 'CCP0000001', at: at(2), withdrawnMinor: 1_00n,
      reason: 'Business Payment Charge' },
    { receipt: 'UCP0000001', at: at(3), withdrawnMinor: 5_00n, reason: 'Reversal' },
    { receipt: 'NCP0000001', at: at(4), paidInMinor: 9_00n, status: 'Cancelled',
      balanceMinor: 94_00n },
  ]);
  const reconcile = (csv: string) => reconcileStatementCsv(deps, {
    csv: Readable.from([Buffer.from(csv)]), shortcode: '222222', startedBy: 'system:test' });

  before(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    handle = (await openAppDatabase({ databaseUrl: created.url, dataDirectory: undefined }))
      .database;
    deps = testDeps(handle, { config: loadConfig({ HUDUMA_ENV: 'test',
      DATABASE_URL: created.url }) });
  });
  after(async () => {
    await handle?.close();
    await drop();
  });

  it('classifies the lines as the parsed path does', async () => {
    const report = await reconcile(text);
    assert.equal(report.run.status, 'completed');
    assert.deepEqual(Object.fromEntries(report.classes.map((row) => [row.name, row.count])),
      { charge: 1, duplicate: 1, missing_callback: 1, not_completed: 1, sweep: 1,
        unknown_withdrawal: 1 });
    const scratch = await sql<{ n: string }>`select count(*) as n from reconciliation_scratch`
      .execute(handle.db);
    assert.equal(Number(scratch.rows[0]?.n), 0);
  });

  it('counts the matched lines as the rest of the run', async () => {
    await sql`insert into payment (id, provider, provider_reference, channel, shortcode,
        amount_minor, currency, account_reference, disposition, paid_at, recorded_at)
      values (gen_random_uuid(), 'mpesa', 'MCP0000001', 'mpesa_c2b', '222222', 5000, 'KES',
        'M1', 'suspense', ${at(20)}, ${at(20)})`.execute(handle.db);
    const report = await reconcile(statementText([
      { receipt: 'MCP0000001', at: at(20), paidInMinor: 50_00n, reference: 'M1' },
      { receipt: 'MCP0000002', at: at(21), paidInMinor: 7_00n, reference: 'M2' },
      { receipt: 'MCP0000003', at: at(22), withdrawnMinor: 3_00n },
    ]));
    const counted = await sql<{ name: string; count: bigint; amount: string }>`select
        class as name, count(*) as count, sum(paid_in_minor + withdrawn_minor) as amount
      from reconciliation_line where run_id = ${report.run.id} group by class order by class`
      .execute(handle.db);
    assert.deepEqual(report.classes, counted.rows.map((row) => ({ name: row.name,
      count: Number(row.count), amountMinor: BigInt(row.amount) })));
    assert.deepEqual(report.classes.map((row) => row.name),
      ['matched', 'missing_callback', 'sweep']);
    // A run staged before its total was kept is counted line by line, to the same totals.
    await sql`update reconciliation_run set line_amount_minor = null
      where id = ${report.run.id}`.execute(handle.db);
    assert.deepEqual((await runTotals(reconciliationDb(handle.db), report.run.id)).classes,
      report.classes);
  });

  it('keeps nothing of a relay that fails part way', async () => {
    const runId = uuidv7(Date.now());
    const session = await copyLines(deps.config.databaseUrl ?? '',
      readStatement(Readable.from([Buffer.from(text)])).batches);
    // Line 4's row fails after the rows before it were relayed.
    const failing = classifiedRows(runId, '222222', sql`select n, r, t, i, w, b, s, y, k, a, x,
        completed from reconciliation_scratch where 1 / (n - 4) > -100`).compile(handle.db);
    try {
      await assert.rejects(session.transaction(async () => {
        await session.db.insertInto('reconciliation_run').values({ id: runId,
          source: 'statement_csv', shortcode: '222222', status: 'importing',
          started_by: 'system:test', started_at: new Date() }).execute();
        await session.copySelect(CompiledQuery.raw(failing.sql),
          `reconciliation_line (${stagedLineColumns.join(', ')})`, []);
      }), /division by zero/);
    } finally {
      await session.release();
    }
    const kept = await sql<{ lines: bigint; runs: bigint }>`select
        (select count(*) from reconciliation_line where run_id = ${runId}) as lines,
        (select count(*) from reconciliation_run where id = ${runId}) as runs`.execute(handle.db);
    assert.deepEqual({ ...kept.rows[0] }, { lines: 0n, runs: 0n });
  });

  it('numbers each of two statements imported at once from line 2, without gaps', async () => {
    const statement = (prefix: string) => statementText(Array.from({ length: 300 },
      (_, index) => ({ receipt: `${prefix}${String(index).padStart(7, '0')}`,
        at: at(10 + (index % 40)), paidInMinor: BigInt(100 + index), reference: 'B1' })));
    // Small chunks, each after a turn of the event loop: the two COPYs would interleave.
    const trickled = (csv: string) => Readable.from((async function* chunks() {
      for (let start = 0; start < csv.length; start += 2_000) {
        await new Promise((resolve) => setImmediate(resolve));
        yield Buffer.from(csv.slice(start, start + 2_000));
      }
    })());
    const reports = await Promise.all(['ACP', 'BCP'].map((prefix) =>
      reconcileStatementCsv(deps, { csv: trickled(statement(prefix)), shortcode: '222222',
        startedBy: 'system:test' })));
    for (const [index, report] of reports.entries()) {
      assert.equal(report.run.status, 'completed');
      const lines = await sql<{ first: number; last: number; count: string;
        strangers: string }>`select min(line_number) as first, max(line_number) as last,
          count(*) as count, count(*) filter (where receipt not like ${
            `${index === 0 ? 'ACP' : 'BCP'}%`} or raw not like receipt || ',%') as strangers
        from reconciliation_line where run_id = ${report.run.id}`.execute(handle.db);
      assert.deepEqual({ ...lines.rows[0], count: Number(lines.rows[0]?.count),
        strangers: Number(lines.rows[0]?.strangers) },
      { first: 2, last: 301, count: 300, strangers: 0 });
    }
  });

  it('changes nothing on a repeat', async () => {
    const report = await reconcile(text);
    assert.equal(report.run.status, 'repeated');
  });

  it('refuses a bad amount and a line with too many fields, naming the line', async () => {
    const bad = await reconcile(text.replace(',-20.00,', ',-twenty,'));
    assert.equal(bad.run.status, 'rejected');
    assert.match(bad.run.rejection ?? '', /^line 4: Withdrawn is not an amount/);
    const lines = text.split('\r\n');
    lines[2] = `${lines[2] ?? ''},extra`;
    const wide = await reconcile(lines.join('\r\n'));
    assert.equal(wide.run.status, 'rejected');
    assert.match(wide.run.rejection ?? '', /^line 3: /);
    const impossible = await reconcile(text.replace('2026-12-03 09:01:00',
      '2026-02-30 09:01:00'));
    assert.equal(impossible.run.status, 'rejected');
    assert.match(impossible.run.rejection ?? '', /^line 4: Completion Time is not a time/);
    const kept = await sql<{ n: string }>`select count(*) as n from reconciliation_line
      where run_id in (${bad.run.id}, ${wide.run.id})`.execute(handle.db);
    assert.equal(Number(kept.rows[0]?.n), 0);
  });
});
