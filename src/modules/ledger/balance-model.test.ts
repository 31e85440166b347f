import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money } from '#platform/money/index.ts';
import { accountCodes, type AccountCode } from './account-codes.ts';
import {
  applyEntries,
  balanceIn,
  signedAmountMinor,
  trialBalanceOf,
} from './balance-model.ts';
import { amountMinorMax, type Entry } from './entry-rules.ts';

const occurredAt = new Date('2026-11-28T09:00:00Z');
const accounts: readonly AccountCode[] = [
  accountCodes.mpesaCollection('222222'), accountCodes.treasuryBank(), accountCodes.suspense(),
  accountCodes.accessFeeRevenue(), accountCodes.refundsPayable(), accountCodes.providerCharges(),
  accountCodes.cardCollection('visa'),
];

const transfer = (debit: AccountCode, credit: AccountCode, amountMinor: bigint): Entry => ({
  code: 'TEST_TRANSFER_POSTED',
  idempotencyKey: `test:${debit}:${credit}:${amountMinor}`,
  occurredAt,
  lines: [
    { accountCode: debit, side: 'debit', amount: money(amountMinor, 'KES') },
    { accountCode: credit, side: 'credit', amount: money(amountMinor, 'KES') },
  ],
  reference: {},
});

describe('balance model', () => {
  it('signs a line by the account normal side', () => {
    assert.equal(signedAmountMinor('debit', 'debit', 5n), 5n);
    assert.equal(signedAmountMinor('debit', 'credit', 5n), -5n);
    assert.equal(signedAmountMinor('credit', 'credit', 5n), 5n);
    assert.equal(signedAmountMinor('credit', 'debit', 5n), -5n);
  });

  it('raises an asset and a liability together on a receipt into suspense', () => {
    const balances = applyEntries([transfer(accounts[0] as AccountCode, accountCodes.suspense(),
      150_00n)]);
    assert.deepEqual(balanceIn(balances, accountCodes.mpesaCollection('222222'), 'KES'),
      money(150_00n, 'KES'));
    assert.deepEqual(balanceIn(balances, accountCodes.suspense(), 'KES'), money(150_00n, 'KES'));
    assert.deepEqual(balanceIn(balances, accountCodes.suspense(), 'USD'), money(0n, 'USD'));
    assert.deepEqual(trialBalanceOf(balances), [
      { currency: 'KES', debitBalancesMinor: 150_00n, creditBalancesMinor: 150_00n },
      { currency: 'USD', debitBalancesMinor: 0n, creditBalancesMinor: 0n },
    ]);
  });

  it('applies only valid entries', () => {
    const bad = transfer(accountCodes.suspense(), accountCodes.suspense(), 1n);
    assert.throws(() => applyEntries([bad]), /only valid entries/);
  });

  it('keeps the trial balance at zero for any sequence of transfers', () => {
    const account = fc.constantFrom(...accounts);
    const step = fc.tuple(account, account, fc.bigInt({ min: 1n, max: amountMinorMax }))
      .filter(([debit, credit]) => debit !== credit);
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const balances = applyEntries(steps.map(([debit, credit, amountMinor]) =>
        transfer(debit, credit, amountMinor)));
      for (const total of trialBalanceOf(balances)) {
        assert.equal(total.debitBalancesMinor, total.creditBalancesMinor);
      }
    }), { numRuns: 200 });
  });
});
