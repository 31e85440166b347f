import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { uuidv7 } from '#platform/ids/index.ts';
import {
  accountAllowsCurrency,
  accountCodes,
  accountKinds,
  describeAccount,
  parseAccountCode,
} from './account-codes.ts';

const invoiceId = '0190b2d0-1c4f-7a3e-8f00-2b5c6d7e8f90';

describe('account codes', () => {
  it('builds the codes of the chart of accounts', () => {
    assert.equal(accountCodes.mpesaCollection('222222'), 'collection:mpesa:222222');
    assert.equal(accountCodes.collection({ kind: 'card', provider: 'visa-gateway' }),
      'collection:card:visa-gateway');
    assert.equal(accountCodes.collection({ kind: 'bank', bank: 'kcb' }), 'collection:bank:kcb');
    assert.equal(accountCodes.treasuryBank(), 'collection:treasury-bank');
    assert.equal(accountCodes.invoiceDeposits(invoiceId), `deposits:invoice:${invoiceId}`);
    assert.equal(accountCodes.payerCredit(invoiceId), `credit:payer:${invoiceId}`);
    assert.equal(accountCodes.agencyPayable(invoiceId), `payable:agency:${invoiceId}`);
    assert.equal(accountCodes.suspense(), 'suspense');
    assert.equal(accountCodes.accessFeeRevenue(), 'revenue:access-fee');
    assert.equal(accountCodes.refundsPayable(), 'refunds-payable');
    assert.equal(accountCodes.providerCharges(), 'expense:provider-charges');
  });

  it('parses every built code back to its kind and id', () => {
    fc.assert(fc.property(fc.uuid({ version: 7 }), (id) => {
      for (const [build, kind] of [
        [accountCodes.invoiceDeposits, 'deposits:invoice'],
        [accountCodes.payerCredit, 'credit:payer'],
        [accountCodes.agencyPayable, 'payable:agency'],
      ] as const) {
        const parsed = parseAccountCode(build(id));
        assert.equal(parsed?.kind, kind);
        assert.equal(parsed?.id, id);
      }
    }), { numRuns: 50 });
    assert.equal(describeAccount(accountCodes.treasuryBank()).kind, 'collection:treasury-bank');
    assert.equal(describeAccount(accountCodes.bankCollection('equity')).id, 'equity');
  });

  it('types accounts with their normal side, as docs/ledger.md lists them', () => {
    const sides = Object.fromEntries(Object.entries(accountKinds)
      .map(([kind, definition]) => [kind, `${definition.type}/${definition.normalSide}`]));
    assert.deepEqual(sides, {
      'collection:mpesa': 'asset/debit',
      'collection:card': 'asset/debit',
      'collection:bank': 'asset/debit',
      'collection:treasury-bank': 'asset/debit',
      'deposits:invoice': 'liability/credit',
      'credit:payer': 'liability/credit',
      'suspense': 'liability/credit',
      'payable:agency': 'liability/credit',
      'revenue:access-fee': 'liability/credit',
      'refunds-payable': 'liability/credit',
      'settlement-clearing': 'liability/credit',
      'expense:provider-charges': 'expense/debit',
    });
    const guarded = Object.entries(accountKinds)
      .filter(([, definition]) => definition.mustNotGoNegative).map(([kind]) => kind);
    assert.deepEqual(guarded, ['deposits:invoice', 'credit:payer', 'suspense', 'payable:agency',
      'revenue:access-fee', 'refunds-payable', 'settlement-clearing']);
  });

  it('refuses codes outside the chart, and ids that could be personal data', () => {
    for (const code of [
      '', 'suspense:x', 'deposits:invoice', 'deposits:invoice:', 'deposits:invoice:42',
      'credit:payer:254712345678', 'credit:payer:12345678', `deposits:invoice:${invoiceId}:x`,
      `DEPOSITS:invoice:${invoiceId}`, 'collection:mpesa:22222a', 'collection:mpesa:12',
      'collection:card:Visa', 'collection:card:-visa', 'collection:treasury-bank:x',
      'revenue', 'assets:cash', `deposits:invoice:${invoiceId.toUpperCase()}`,
    ]) {
      assert.equal(parseAccountCode(code), undefined, code);
    }
    assert.throws(() => accountCodes.payerCredit('254712345678'), /not a valid ledger account/);
    assert.throws(() => accountCodes.mpesaCollection('2222'), /not a valid ledger account/);
  });

  it('holds an M-Pesa paybill in shillings only; other accounts in any currency', () => {
    const paybill = describeAccount(accountCodes.mpesaCollection('222222'));
    assert.equal(accountAllowsCurrency(paybill, 'KES'), true);
    assert.equal(accountAllowsCurrency(paybill, 'USD'), false);
    const payable = describeAccount(accountCodes.agencyPayable(uuidv7()));
    assert.equal(accountAllowsCurrency(payable, 'USD'), true);
  });
});
