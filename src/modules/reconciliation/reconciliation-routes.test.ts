/**
 * The reconciliation pages against the Daraja emulator: payments made while nobody was told
 * (no callback URLs) are in the emulator's statement; a finance officer uploads it through the
 * page (multipart, CSRF), the run page shows them as missing callbacks that are now payments,
 * the CSV export lists every line with its class, the day report counts them; then Pull
 * Transactions for the same window finds them all matched, the balance proven.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createDarajaClient } from '#modules/payments/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { loadConfig } from '#config';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { startTestEmulator, testDarajaAccount } from '#test/helpers/daraja.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import type { EmulatorServer } from '#modules/daraja-emulator/index.ts';
import { dailyPullJob, pullYesterdayIfDue } from './reconciliation-job.ts';
import { reconcilePull } from './reconciliation-service.ts';
import { reconciliationPaths } from './reconciliation-views.ts';
import { kenyaDay } from './statement-formats.ts';

describeOnDatabases('reconciliation pages', (database) => {
  let app: FastifyInstance;
  let deps: ModuleDeps;
  let daraja: EmulatorServer;
  let officer: TestCaller;
  const started = new Date();

  before(async () => {
    daraja = await startTestEmulator();
    deps = testDeps(database(), { config: loadConfig({ HUDUMA_ENV: 'test',
      HUDUMA_MPESA_SHORTCODE: testDarajaAccount.shortcode,
      HUDUMA_MPESA_BASE_URL: daraja.baseUrl,
      HUDUMA_MPESA_CONSUMER_KEY: testDarajaAccount.consumerKey,
      HUDUMA_MPESA_CONSUMER_SECRET: testDarajaAccount.consumerSecret }) });
    app = await buildTestApp(database(), deps);
    officer = await signInAs(database(), 'finance-officer');
    for (const amount of [150n, 275n]) {
      await daraja.emulator.simulateC2b({ amountShillings: amount, msisdn: '254708374149',
        billReference: 'NOSUCHBILL' });
    }
  });
  after(async () => {
    await app.close();
    await daraja.close();
  });

  let runUrl = '';

  const upload = async (csv: string) => {
    const form = new FormData();
    form.set('_csrf', officer.csrfToken);
    form.set('shortcode', testDarajaAccount.shortcode);
    form.set('statement', new Blob([csv], { type: 'text/csv' }), 'statement.csv');
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const response = await app.inject({ method: 'POST', url: reconciliationPaths.imports,
      headers: { ...officer.headers,
        'content-type': request.headers.get('content-type') ?? '' },
      payload: Buffer.from(await request.arrayBuffer()) });
    assert.equal(response.statusCode, 303, response.body);
    return response.headers.location ?? '';
  };

  it('imports an uploaded statement and shows its classes', async () => {
    const csv = daraja.emulator.statementCsv(testDarajaAccount.shortcode);
    runUrl = await upload(csv);
    const page = await app.inject({ url: runUrl, headers: officer.headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Missing callback/);
    assert.match(page.body, /in the statement, never called back/);
  });

  it('exports the run and the day as CSV', async () => {
    const runId = runUrl.split('/').at(-1) ?? '';
    const csv = await app.inject({ url: reconciliationPaths.runExport(runId),
      headers: officer.headers });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] ?? '', /^text\/csv/);
    const rows = csv.body.trim().split('\r\n');
    assert.equal(rows.length, 3);
    assert.match(rows[0] ?? '', /^line,receipt,completed_kenya_time,paid_in/);
    assert.match(rows[1] ?? '', /,150\.00,0\.00,150\.00,Pay Bill,NOSUCHBILL,missing_callback,150\.00,/);
    const day = kenyaDay(started);
    const report = await app.inject({ url: reconciliationPaths.day(day),
      headers: officer.headers });
    assert.equal(report.statusCode, 200);
    const dayCsv = await app.inject({ url: reconciliationPaths.dayExport(day),
      headers: officer.headers });
    assert.match(dayCsv.body, new RegExp(`${day},class,missing_callback,2,425\\.00`));
    const list = await app.inject({ url: reconciliationPaths.page, headers: officer.headers });
    assert.match(list.body, /Import and reconcile/);
  });

  it('finds the same payments matched through Pull Transactions', async () => {
    const client = createDarajaClient({ baseUrl: daraja.baseUrl, ...testDarajaAccount,
      timeoutMs: 5_000, clock: systemClock });
    const report = await reconcilePull(deps, { from: new Date(started.getTime() - 60_000),
      to: new Date(Date.now() + 60_000), startedBy: 'system:test', client });
    assert.equal(report.run.status, 'completed');
    assert.deepEqual(report.classes.map((row) => [row.name, row.count]), [['matched', 2]]);
    assert.deepEqual(report.findings, []);
  });

  it('says so when the same statement is uploaded again', async () => {
    const again = await upload(daraja.emulator.statementCsv(testDarajaAccount.shortcode));
    const page = await app.inject({ url: again, headers: officer.headers });
    assert.match(page.body, /Already imported \(nothing changed\)/);
    assert.match(page.body, new RegExp(`href="${runUrl}"`));
  });

  it('pulls a day through the page, and the daily job pulls yesterday once', async () => {
    const response = await app.inject({ method: 'POST', url: reconciliationPaths.pulls,
      headers: { ...officer.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(officer.csrfToken)}&day=${kenyaDay(started)}` });
    assert.equal(response.statusCode, 303);
    const page = await app.inject({ url: response.headers.location ?? '',
      headers: officer.headers });
    assert.match(page.body, /Pull Transactions/);
    const later = { ...deps, clock: { now: () => new Date(started.getTime() + 2 * 86_400_000) } };
    // Two workers at once: one claims the day and imports it, the other skips it.
    assert.deepEqual((await Promise.all([pullYesterdayIfDue(later), pullYesterdayIfDue(later)]))
      .sort(), [false, true]);
    assert.equal(await pullYesterdayIfDue(later), false);
    const pulls = await sql<{ n: bigint }>`select count(*) as n from reconciliation_run
      where source = 'pull_api' and started_by = 'system:reconciliation.daily-pull'`
      .execute(deps.db);
    assert.equal(pulls.rows[0]?.n, 1n);
    const job = dailyPullJob(later);
    assert.equal(job.name, 'reconciliation.daily-pull');
    await job.run();
  });

  it('answers 404 for a run that is not there, whatever its id looks like', async () => {
    for (const id of ['not-a-uuid', '00000000-0000-7000-8000-000000000000']) {
      const response = await app.inject({ url: reconciliationPaths.run(id),
        headers: officer.headers });
      assert.equal(response.statusCode, 404);
    }
  });
});
