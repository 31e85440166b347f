import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBenchDatabase, prepareBenchDatabase } from './bench-db.ts';
import { paymentTransactionPreparation } from './pgbench.ts';
import { openLikeTheApp, runPaymentTransactions } from './pglite-loop.ts';

describe('the bare PGlite loop', () => {
  it('pays each prepared invoice once, as the app records a payment, and stops when they run ' +
    'out', async () => {
    const database = await createBenchDatabase('pglite', 'looptest');
    try {
      await prepareBenchDatabase(database, 12);
      const pglite = await openLikeTheApp(database.env.HUDUMA_DATA_DIR ?? '');
      try {
        for (const statement of paymentTransactionPreparation) await pglite.exec(statement);
        const outcome = await runPaymentTransactions(pglite, 60);
        assert.equal(outcome.transactions, 12);
        assert.equal(outcome.ranOut, true);
        const count = async (text: string) =>
          (await pglite.query<{ n: bigint }>(text)).rows[0]?.n;
        assert.equal(await count('select count(*) as n from payment'), 12n);
        assert.equal(await count(`select count(distinct invoice_id) as n
          from payment_allocation`), 12n);
        assert.equal(await count(`select count(*) as n from ledger_entry
          where code in ('RECEIPT_ALLOCATED_TO_INVOICE', 'INVOICE_COVERED')`), 24n);
        assert.equal(await count('select count(*) as n from notification'), 12n);
        // The preparation's record and one per payment, the head moved to the last.
        assert.equal(await count('select count(*) as n from audit_record'), 13n);
        assert.equal(await count(`select count(*) as n from audit_chain_head h
          join audit_record r on r.sequence = h.sequence and r.hash = h.hash
          where r.sequence = (select max(sequence) from audit_record)`), 1n);
      } finally {
        await pglite.close();
      }
    } finally {
      await database.drop();
    }
  });
});
