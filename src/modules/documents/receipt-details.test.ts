/**
 * A receipt's bill lines are stored as JSON (amounts as decimal strings: JSON has no bigint):
 * what is written reads back the same, and anything not in that shape is left out rather than
 * shown wrong. The reader's language picks the Swahili text only where there is one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money } from '#platform/money/index.ts';
import { billLinesFromJson, billLinesToJson, inLanguage, type ReceiptBillLine }
  from './receipt-details.ts';

const lineArbitrary = fc.record({
  kind: fc.constantFrom('service_fee' as const, 'access_fee' as const, 'penalty' as const),
  amountMinor: fc.bigInt({ min: 0n, max: 999_999_999_999_999_999n }),
  currency: fc.constantFrom('KES' as const, 'USD' as const),
}).map(({ kind, amountMinor, currency }): ReceiptBillLine =>
  ({ kind, amount: money(amountMinor, currency) }));

describe('receipt bill lines', () => {
  it('read back exactly as written', () => {
    fc.assert(fc.property(fc.array(lineArbitrary, { maxLength: 8 }), (lines) => {
      assert.deepEqual(billLinesFromJson(JSON.parse(billLinesToJson(lines))), lines);
    }));
  });

  it('leave out what is not in the stored shape', () => {
    assert.deepEqual(billLinesFromJson(null), []);
    assert.deepEqual(billLinesFromJson({ kind: 'service_fee' }), []);
    assert.deepEqual(billLinesFromJson([
      null, 'text', { kind: 'tip', amountMinor: '1', currency: 'KES' },
      { kind: 'service_fee', amountMinor: 100, currency: 'KES' },
      { kind: 'service_fee', amountMinor: '-1', currency: 'KES' },
      { kind: 'service_fee', amountMinor: '100', currency: 'EUR' },
      { kind: 'access_fee', amountMinor: '5000', currency: 'KES' },
    ]), [{ kind: 'access_fee', amount: money(5_000n, 'KES') }]);
  });

  it('show the Swahili text on Swahili pages only where there is one', () => {
    assert.equal(inLanguage('sw', 'Passport', 'Pasipoti'), 'Pasipoti');
    assert.equal(inLanguage('sw', 'Passport', null), 'Passport');
    assert.equal(inLanguage('en', 'Passport', 'Pasipoti'), 'Passport');
  });
});
