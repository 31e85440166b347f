/**
 * Money moving both ways at once between two guarded accounts (a refund approved from a
 * payer's credit while another refund is cancelled back into it) never deadlocks: posting
 * locks the debited account FOR NO KEY UPDATE, which the foreign-key check of the other
 * entry's line (KEY SHARE on the account it credits) does not wait for. With FOR UPDATE the
 * two waited for each other until PostgreSQL aborted one (found by the fault suite's bank
 * test, test/fault/bank-run.ts).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { accountCodes } from './account-codes.ts';
import type { Entry } from './entry-rules.ts';
import { balanceOf, postEntryInTrx } from './ledger-service.ts';
import { refundApproved, refundCancelled } from './outflow-postings.ts';
import { receiptForClosedInvoice } from './receipt-postings.ts';

const pairs = 40;
const kes = (amountMinor: bigint) => money(amountMinor, 'KES');

describeOnDatabases('opposite transfers between two guarded accounts', (database) => {
  it('all post, none deadlocks, and the balances add up', async () => {
    const db = database().db;
    const post = (entry: Entry) => db.transaction().execute((trx) => postEntryInTrx(trx, entry));
    const payerId = uuidv7();
    const occurredAt = new Date();
    // Enough for the first refunds and, left over, for every second one: none is refused.
    const funded = await post(receiptForClosedInvoice({ receipt: { channel: { kind: 'mpesa',
      shortcode: '222222' }, receiptNumber: `LOCK${uuidv7().slice(-8)}` },
    amount: kes(BigInt(pairs) * 150n), occurredAt, invoiceId: uuidv7(), payerId }));
    assert.ok(funded.ok);
    const source = { kind: 'payer-credit', payerId } as const;
    const approvedFirst = Array.from({ length: pairs }, () => ({ refundId: uuidv7(), source,
      amount: kes(100n), occurredAt }));
    for (const refund of approvedFirst) assert.ok((await post(refundApproved(refund))).ok);
    // Each round: one refund cancelled (Dr refunds-payable, Cr credit) while another is
    // approved (Dr credit, Cr refunds-payable), all at once.
    const results = await Promise.all(approvedFirst.flatMap((refund) => [
      post(refundCancelled(refund)),
      post(refundApproved({ refundId: uuidv7(), source, amount: kes(50n), occurredAt })),
    ]));
    assert.deepEqual(results.filter((result) => !result.ok), []);
    const credit = await balanceOf(db, accountCodes.payerCredit(payerId), 'KES');
    assert.equal(credit.amountMinor, BigInt(pairs) * 100n);
  });
});
