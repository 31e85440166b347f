/**
 * The posting rules of docs/ledger.md: each helper writes the lines the rule names, valid and
 * balanced, and amounts stay exact to the cent whatever the split (property tests).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { accountCodes, type Channel } from './account-codes.ts';
import { applyEntries, balanceIn, trialBalanceOf } from './balance-model.ts';
import { entryCodes, receiptEntryCodes } from './entry-codes.ts';
import { validateEntry, type Entry } from './entry-rules.ts';
import {
  accessFeesRemitted,
  agencySettled,
  settlementReleased,
  settlementReturned,
  paybillSwept,
  providerCharged,
  refundApproved,
  refundCancelled,
  refundPaidOut,
} from './outflow-postings.ts';
import {
  creditUsed,
  invoiceCovered,
  receiptForClosedInvoice,
  receiptMatched,
  receiptUnmatched,
  suspenseMatched,
} from './receipt-postings.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');
const paybill: Channel = { kind: 'mpesa', shortcode: '222222' };
const occurredAt = new Date('2026-11-28T09:00:00Z');
const invoiceId = uuidv7();
const payerId = uuidv7();
const agencyId = uuidv7();

/** 'Dr code amount' / 'Cr code amount' per line: the rule as docs/ledger.md writes it. */
function shape(entry: Entry): string[] {
  return entry.lines.map((line) =>
    `${line.side === 'debit' ? 'Dr' : 'Cr'} ${line.accountCode} ${line.amount.amountMinor}`);
}

describe('posting rules', () => {
  const receipt = { channel: paybill, receiptNumber: 'QK71ABC123' };
  const paybillAccount = accountCodes.mpesaCollection('222222');

  it('receipts: matched, for a closed invoice, unmatched; one key per provider receipt', () => {
    const matched = receiptMatched({ receipt, invoiceId, amount: kes(500_00n), occurredAt,
      paymentId: uuidv7() });
    assert.deepEqual(shape(matched),
      [`Dr ${paybillAccount} 50000`, `Cr deposits:invoice:${invoiceId} 50000`]);
    assert.equal(matched.code, entryCodes.receiptAllocatedToInvoice);
    assert.equal(matched.reference['providerReceipt'], 'mpesa:QK71ABC123');
    const closed = receiptForClosedInvoice({ receipt, invoiceId, payerId, amount: kes(1n),
      occurredAt });
    assert.deepEqual(shape(closed), [`Dr ${paybillAccount} 1`, `Cr credit:payer:${payerId} 1`]);
    const unmatched = receiptUnmatched({ receipt, amount: kes(7n), occurredAt });
    assert.deepEqual(shape(unmatched), [`Dr ${paybillAccount} 7`, 'Cr suspense 7']);
    const keys = new Set([matched, closed, unmatched].map((entry) => entry.idempotencyKey));
    assert.deepEqual([...keys], ['mpesa:QK71ABC123:receipt']);
    for (const entry of [matched, closed, unmatched]) {
      assert.ok(receiptEntryCodes.includes(entry.code));
      assert.ok(validateEntry(entry).ok, entry.code);
    }
  });

  it('invoice covered: payables per agency, the access fee, the excess to the payer', () => {
    const otherAgency = uuidv7();
    const result = invoiceCovered({
      invoiceId,
      deposits: kes(1_200_00n),
      agencyFees: [{ agencyId, amount: kes(600_00n) }, { agencyId: otherAgency,
        amount: kes(300_00n) }, { agencyId, amount: kes(100_00n) }],
      accessFee: kes(50_00n),
      payerId,
      occurredAt,
    });
    assert.ok(result.ok);
    assert.deepEqual(shape(result.value), [
      `Dr deposits:invoice:${invoiceId} 120000`,
      `Cr payable:agency:${agencyId} 70000`,
      `Cr payable:agency:${otherAgency} 30000`,
      'Cr revenue:access-fee 5000',
      `Cr credit:payer:${payerId} 15000`,
    ]);
    assert.equal(result.value.idempotencyKey, `invoice:${invoiceId}:covered`);
    assert.ok(validateEntry(result.value).ok);
  });

  it('invoice covered: exact cover has no excess line; no access fee, no fee line', () => {
    const result = invoiceCovered({ invoiceId, deposits: kes(600_00n),
      agencyFees: [{ agencyId, amount: kes(600_00n) }], accessFee: kes(0n), payerId: undefined,
      occurredAt });
    assert.ok(result.ok);
    assert.deepEqual(shape(result.value),
      [`Dr deposits:invoice:${invoiceId} 60000`, `Cr payable:agency:${agencyId} 60000`]);
  });

  it('invoice covered: refuses short deposits, and an excess with no payer', () => {
    const input = { invoiceId, agencyFees: [{ agencyId, amount: kes(600_00n) }],
      accessFee: kes(50_00n), payerId: undefined, occurredAt };
    const short = invoiceCovered({ ...input, deposits: kes(649_99n) });
    assert.equal(short.ok ? 'ok' : short.error.code, 'LEDGER_INVOICE_NOT_COVERED');
    const excess = invoiceCovered({ ...input, deposits: kes(650_01n) });
    assert.equal(excess.ok ? 'ok' : excess.error.code, 'LEDGER_EXCESS_NEEDS_PAYER');
  });

  it('suspense matched and credit used move money onto the invoice', () => {
    assert.deepEqual(shape(suspenseMatched({ receipt, invoiceId, amount: kes(9n), occurredAt })),
      ['Dr suspense 9', `Cr deposits:invoice:${invoiceId} 9`]);
    const allocationId = uuidv7();
    const used = creditUsed({ payerId, invoiceId, amount: kes(8n), allocationId, occurredAt });
    assert.deepEqual(shape(used),
      [`Dr credit:payer:${payerId} 8`, `Cr deposits:invoice:${invoiceId} 8`]);
    assert.equal(used.idempotencyKey, `credit-use:${allocationId}`);
  });

  it('outflows: refunds, sweep, settlement, remittance, provider charge', () => {
    const refundId = uuidv7();
    const fromCredit = { kind: 'payer-credit', payerId } as const;
    const cases: ReadonlyArray<readonly [Entry, string[]]> = [
      [refundApproved({ refundId, source: fromCredit, amount: kes(5n), occurredAt }),
        [`Dr credit:payer:${payerId} 5`, 'Cr refunds-payable 5']],
      [refundApproved({ refundId, source: { kind: 'suspense' }, amount: kes(5n), occurredAt }),
        ['Dr suspense 5', 'Cr refunds-payable 5']],
      [refundPaidOut({ refundId, channel: paybill, amount: kes(5n), occurredAt,
        providerReceipt: 'UL4AB12CD3' }),
        ['Dr refunds-payable 5', `Cr ${paybillAccount} 5`]],
      [refundCancelled({ refundId, source: fromCredit, amount: kes(5n), occurredAt }),
        ['Dr refunds-payable 5', `Cr credit:payer:${payerId} 5`]],
      [paybillSwept({ sweepId: uuidv7(), shortcode: '222222', amount: kes(5n), occurredAt }),
        ['Dr collection:treasury-bank 5', `Cr ${paybillAccount} 5`]],
      [settlementReleased({ lineId: uuidv7(), batchId: uuidv7(),
        payee: { kind: 'agency', agencyId }, amount: kes(5n), occurredAt }),
      [`Dr payable:agency:${agencyId} 5`, 'Cr settlement-clearing 5']],
      [agencySettled({ lineId: uuidv7(), batchId: uuidv7(), payee: { kind: 'treasury' },
        amount: kes(5n), occurredAt, bankReference: 'FT26338ABCD' }),
      ['Dr settlement-clearing 5', 'Cr collection:treasury-bank 5']],
      [settlementReturned({ lineId: uuidv7(), batchId: uuidv7(), payee: { kind: 'treasury' },
        amount: kes(5n), occurredAt }),
      ['Dr settlement-clearing 5', 'Cr revenue:access-fee 5']],
      [accessFeesRemitted({ remittanceId: uuidv7(), amount: kes(5n), occurredAt }),
        ['Dr revenue:access-fee 5', 'Cr collection:treasury-bank 5']],
      [providerCharged({ chargeId: 'stmt-2026-11-28-17', channel: paybill, amount: kes(5n),
        occurredAt }), ['Dr expense:provider-charges 5', `Cr ${paybillAccount} 5`]],
    ];
    for (const [entry, expected] of cases) {
      assert.deepEqual(shape(entry), expected, entry.code);
      assert.ok(validateEntry(entry).ok, entry.code);
    }
    const keys = cases.map(([entry]) => entry.idempotencyKey);
    assert.equal(new Set(keys).size, keys.length - 1, 'only the two approvals share a key');
  });

  it('keeps every cent: split, partial and over payments of a split invoice', () => {
    const amount = fc.bigInt({ min: 1n, max: 10_000_000n });
    fc.assert(fc.property(
      fc.array(amount, { minLength: 1, maxLength: 3 }),
      fc.bigInt({ min: 0n, max: 100_000n }),
      fc.array(amount, { minLength: 1, maxLength: 6 }),
      (fees, accessFeeMinor, receipts) => {
        const agencies = fees.map(() => uuidv7());
        const invoice = uuidv7();
        const entries: Entry[] = receipts.map((receiptMinor, index) => receiptMatched({
          receipt: { channel: paybill, receiptNumber: `R${index}X${invoice.slice(0, 8)}` },
          invoiceId: invoice, amount: kes(receiptMinor), occurredAt,
        }));
        let balances = applyEntries(entries);
        const paid = receipts.reduce((total, value) => total + value, 0n);
        const due = fees.reduce((total, value) => total + value, 0n) + accessFeeMinor;
        const deposits = balanceIn(balances, accountCodes.invoiceDeposits(invoice), 'KES');
        assert.equal(deposits.amountMinor, paid);
        const covered = invoiceCovered({ invoiceId: invoice, deposits,
          agencyFees: fees.map((fee, index) => ({ agencyId: agencies[index] ?? '',
            amount: kes(fee) })),
          accessFee: kes(accessFeeMinor), payerId, occurredAt });
        assert.equal(covered.ok, paid >= due);
        if (covered.ok) balances = applyEntries([covered.value], balances);
        const balance = (code: ReturnType<typeof accountCodes.suspense>) =>
          balanceIn(balances, code, 'KES').amountMinor;
        assert.equal(balance(accountCodes.mpesaCollection('222222')), paid);
        assert.equal(balance(accountCodes.invoiceDeposits(invoice)), covered.ok ? 0n : paid);
        assert.equal(balance(accountCodes.payerCredit(payerId)), covered.ok ? paid - due : 0n);
        fees.forEach((fee, index) => assert.equal(
          balance(accountCodes.agencyPayable(agencies[index] ?? '')), covered.ok ? fee : 0n));
        for (const total of trialBalanceOf(balances)) {
          assert.equal(total.debitBalancesMinor, total.creditBalancesMinor);
        }
      },
    ), { numRuns: 200 });
  });
});
