import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import {
  accountCodes,
  invoiceCovered,
  postEntryInTrx,
  receiptMatched,
} from '#modules/ledger/index.ts';
import { settlementDb, upsertProfileInTrx } from '#modules/settlement/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import { parsePrepareArgs, runSettlePrepare, runSettleStatus } from './settle-command.ts';

function captured(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describeOnDatabases('huduma settle', (database) => {
  it('parses its arguments', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    assert.deepEqual(parsePrepareArgs(['--cutoff', '2026-12-03T21:00:00Z', '--currency', 'KES'],
      now), { cutoff: new Date('2026-12-03T21:00:00Z'), currencies: ['KES'] });
    assert.equal(typeof parsePrepareArgs(['--cutoff', '2030-01-01'], now), 'string');
    assert.equal(typeof parsePrepareArgs(['--what'], now), 'string');
  });

  it('prepares a batch, names a payee without a profile, and reports the status', async () => {
    const deps = testDeps(database());
    const [withProfile, without] = [await createTestAgency(database(), 'Profiled'),
      await createTestAgency(database(), 'Unprofiled')];
    await database().db.transaction().execute(async (trx) => {
      await upsertProfileInTrx(settlementDb(trx), { payee: withProfile, bank_name: 'NCBA',
        bank_code: '07', branch: 'Westlands', account_number: '1234567890',
        account_name: 'Profiled Collections', schedule_days: 1, sla_days: 2,
        updated_at: new Date() });
      for (const agencyId of [withProfile, without]) {
        const invoiceId = uuidv7();
        const amount = money(300_00n, 'KES');
        const occurredAt = new Date(Date.now() - 86_400_000);
        assert.ok((await postEntryInTrx(trx, receiptMatched({ receipt: { channel: {
          kind: 'mpesa', shortcode: '222222' }, receiptNumber: `CL${invoiceId.slice(-8)}` },
        invoiceId, amount, occurredAt }))).ok);
        const covered = invoiceCovered({ invoiceId, deposits: amount,
          agencyFees: [{ agencyId, amount }], accessFee: money(0n, 'KES'), payerId: uuidv7(),
          occurredAt });
        assert.ok(covered.ok);
        assert.ok((await postEntryInTrx(trx, covered.value)).ok);
      }
    });
    const output = captured();
    const progress = new PassThrough() as unknown as NodeJS.WriteStream;
    assert.equal(await runSettlePrepare(deps, { cutoff: new Date(), currencies: ['KES'] },
      { output: output.stream, progress }), 1);
    assert.match(output.text(), /KES: batch STL-KES-\d{8}-[0-9A-F]{8} prepared/);
    assert.match(output.text(),
      new RegExp(`PROBLEM no bank profile for payee ${without}: 300\\.00`));
    const status = captured();
    assert.equal(await runSettleStatus(deps.db, new Date(), { output: status.stream, progress }),
      1);
    assert.match(status.text(), /prepared/);
    assert.match(status.text(), new RegExp(`${without} .*NO PROFILE`));
    assert.equal(accountCodes.settlementClearing(), 'settlement-clearing');
  });
});
