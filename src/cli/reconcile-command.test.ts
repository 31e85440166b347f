import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, it } from 'node:test';
import { statementText } from '#modules/reconciliation/index.ts';
import type { EmulatorServer } from '#modules/daraja-emulator/index.ts';
import { loadConfig } from '#config';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { startTestEmulator, testDarajaAccount } from '#test/helpers/daraja.ts';
import { reconcileCommand, runReconcile } from './reconcile-command.ts';

function captured(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describeOnDatabases('huduma reconcile', (database) => {
  let folder = '';
  let file = '';
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'huduma-reconcile-'));
    file = path.join(folder, 'statement.csv');
    await writeFile(file, statementText([
      { receipt: 'RCL0000001', at: new Date('2026-12-01T07:00:00Z'), paidInMinor: 150_00n,
        reference: 'NOSUCH' },
      { receipt: 'SWC0000001', at: new Date('2026-12-01T08:00:00Z'), withdrawnMinor: 100_00n },
    ]));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reports the classes and exits 1 when there are findings, 0 on a repeat', async () => {
    const deps = testDeps(database());
    const first = captured();
    assert.equal(await runReconcile(deps, { file, pull: false, shortcode: '222222' },
      first.stream), 1);
    assert.match(first.text(), /completed, 2 line\(s\), 1 finding\(s\)/);
    assert.match(first.text(), /missing_callback\s+1\s+150\.00/);
    assert.match(first.text(), /sweep\s+1\s+100\.00/);
    const again = captured();
    assert.equal(await runReconcile(deps, { file, pull: false, shortcode: '222222' },
      again.stream), 0);
    assert.match(again.text(), /repeated/);
    assert.match(again.text(), /nothing changed/);
  });
});

describeOnDatabases('huduma reconcile --pull', (database) => {
  let daraja: EmulatorServer;
  before(async () => {
    daraja = await startTestEmulator();
    await daraja.emulator.simulateC2b({ amountShillings: 75n, msisdn: '254708374149',
      billReference: 'NOSUCHBILL' });
  });
  after(async () => {
    await daraja.close();
  });

  it('pulls Kenya days and reports the missing callback', async () => {
    const deps = testDeps(database(), { config: loadConfig({ HUDUMA_ENV: 'test',
      HUDUMA_MPESA_SHORTCODE: testDarajaAccount.shortcode, HUDUMA_MPESA_BASE_URL: daraja.baseUrl,
      HUDUMA_MPESA_CONSUMER_KEY: testDarajaAccount.consumerKey,
      HUDUMA_MPESA_CONSUMER_SECRET: testDarajaAccount.consumerSecret }) });
    const today = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);
    const out = captured();
    assert.equal(await runReconcile(deps, { pull: true, from: today, to: today }, out.stream), 1);
    assert.match(out.text(), /missing_callback\s+1\s+75\.00/);
  });
});

it('huduma reconcile refuses a usage mistake with exit code 2', async () => {
  for (const args of [[], ['--pull'], ['--file', 'x.csv', '--pull'], ['--pull', '--from', 'x',
    '--to', '2026-12-01'], ['--file', 'x.csv', '--shortcode', '12']]) {
    assert.equal(await reconcileCommand.run(args), 2);
  }
});
