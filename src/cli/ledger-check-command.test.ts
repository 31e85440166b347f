import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { migrate, openPostgresDatabase, type Database } from '#platform/db/index.ts';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { postEntryInTrx, receiptUnmatched } from '#modules/ledger/index.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
import { foldDailyTotals } from '#modules/reporting/index.ts';
import {
  createPostgresDatabase,
  describeOnDatabases,
  switchTriggersOffInTrx,
} from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { runLedgerCheck } from './ledger-check-command.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function captured(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function postReceipt(db: Database, receiptNumber: string): Promise<string> {
  const result = await db.transaction().execute((trx) => postEntryInTrx(trx, receiptUnmatched({
    receipt: { channel: { kind: 'mpesa', shortcode: '222222' }, receiptNumber },
    amount: money(1_050_00n, 'KES'), occurredAt: new Date(),
  })));
  assert.ok(result.ok);
  return result.value.entryId;
}

/** Halves a line with the triggers off, as someone editing the table directly could. */
async function breakEntry(db: Database, entryId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await switchTriggersOffInTrx(trx);
    await sql`update ledger_line set amount_minor = amount_minor / 2
      where entry_id = ${entryId} and side = 'credit'`.execute(trx);
  });
}

describeOnDatabases('huduma ledger check', (database, kind) => {
  const check = async () => {
    const output = captured();
    const progress = captured();
    const code = await runLedgerCheck(database().db, {
      output: output.stream,
      progress: progress.stream as unknown as NodeJS.WriteStream,
    });
    return { code, output: output.text(), progress: progress.text() };
  };

  it('exits 0 with the trial balance when every invariant holds', async () => {
    await postReceipt(database().db, 'QK71ABC123');
    const result = await check();
    assert.equal(result.code, 0);
    assert.match(result.output, /ledger check: 1 entries, 2 accounts, 0 invoices/);
    assert.match(result.output, /KES {2}debits 1050\.00 {2}credits 1050\.00 {2}balanced/);
    assert.match(result.output, /suspense +liability +1050\.00 {2}\(1 accounts\)/);
    assert.match(result.output, /OK: every invariant holds/);
    assert.match(result.progress, /checking ledger .*3\/3/);
  });

  it('exits 1 naming a reporting daily total that differs from the ledger', async () => {
    assert.match((await check()).output, /reporting totals check:\nOK: the daily totals equal/);
    const tamper = (by: bigint) => sql`update reporting_movement_total
      set credit_minor = credit_minor + ${by} where account = 'suspense'`.execute(database().db);
    await foldDailyTotals(database().db);
    await tamper(1n);
    try {
      const result = await check();
      assert.equal(result.code, 1);
      assert.match(result.output, /REPORTING_TOTALS_MATCH_LEDGER {2}movements \S+ /);
    } finally {
      await tamper(-1n);
    }
    assert.equal((await check()).code, 0);
  });

  it('exits 1 naming the entry that no longer balances', async () => {
    const entryId = await postReceipt(database().db, 'QK71ABC124');
    await breakEntry(database().db, entryId);
    const result = await check();
    assert.equal(result.code, 1);
    assert.match(result.output, /KES .*NOT BALANCED/);
    assert.match(result.output, /FAILED: 2 finding\(s\)/);
    assert.match(result.output, new RegExp(`ENTRY_DOES_NOT_BALANCE {2}entry ${entryId} ` +
      '\\(RECEIPT_HELD_IN_SUSPENSE\\): debits 105000, credits 52500'));
    assert.match(result.output, /TRIAL_BALANCE_NOT_ZERO {2}currency KES/);
  });

  it('exits 1 naming the invoice whose deposits differ from its allocations', async () => {
    await insertPaymentsFixture(database());
    const created = await createInvoiceForService({ db: database().db, clock: systemClock,
      logger: createLogger({ level: 'silent' }) }, { service: fixtureIds.passport,
      payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    // An allocation written without its money, as a bug in the payment path could leave it.
    await sql`insert into payment_allocation (id, invoice_id, source, payment_id, amount_minor,
      currency, allocated_at) values (${uuidv7()}, ${created.value.id}, 'payer_credit', null,
      50000, 'KES', now())`.execute(database().db);
    const result = await check();
    assert.equal(result.code, 1);
    assert.match(result.output, new RegExp('INVOICE_DEPOSITS_DIFFER_FROM_ALLOCATIONS {2}invoice ' +
      `${created.value.reference} \\(${created.value.id}\\): allocated 50000, total 105000`));
    assert.match(result.output, /PAYER_CREDIT_DIFFERS_FROM_OVERPAYMENTS/);
  });

  if (kind === 'postgres') {
    it('runs as a command: exit status 1 and the finding on stdout', async () => {
      const created = await createPostgresDatabase();
      const handle = await openPostgresDatabase(created.url);
      try {
        await migrate(handle.db);
        const entryId = await postReceipt(handle.db, 'QK71ABC125');
        const run = promisify(execFile);
        const node = `${root}node_modules/.bin/node`;
        const env = { ...process.env, DATABASE_URL: created.url, LOG_LEVEL: 'silent' };
        const sound = await run(node, ['src/cli/main.ts', 'ledger', 'check'], { cwd: root, env });
        assert.match(sound.stdout, /OK: every invariant holds/);
        await breakEntry(handle.db, entryId);
        const failure = await run(node, ['src/cli/main.ts', 'ledger', 'check'], { cwd: root, env })
          .then(() => undefined, (error: { code: number; stdout: string }) => error);
        assert.ok(failure !== undefined, 'the command must fail');
        assert.equal(failure.code, 1);
        assert.match(failure.stdout, new RegExp(`ENTRY_DOES_NOT_BALANCE {2}entry ${entryId}`));
      } finally {
        await handle.close();
        await created.drop();
      }
    });
  }
});
