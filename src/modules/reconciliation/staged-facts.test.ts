/**
 * What staging learns as lines pass: the fingerprint set never forgets a key it was given (it
 * grows from 4,096 slots to hold 200,000) and keeps salts apart; the facts say "may repeat"
 * exactly when a receipt comes back in the same direction, and give the window and order.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { FingerprintSet } from './fingerprint-set.ts';
import { StagedFacts } from './staged-facts.ts';
import type { StatementLine } from './statement-csv.ts';

it('remembers every key it was given, each salt apart', () => {
  const set = new FingerprintSet();
  const keys = Array.from({ length: 200_000 }, (_, index) => `RB${index.toString(36)}`);
  assert.equal(keys.filter((key) => set.add(key)).length, 0);
  assert.equal(set.size, keys.length);
  assert.equal(keys.filter((key) => !set.add(key)).length, 0);
  assert.equal(keys.slice(0, 1_000).filter((key) => set.add(key, 7)).length, 0);
  assert.equal(set.size, keys.length + 1_000);
});

const line = (receipt: string, paidIn: boolean, minute: number): StatementLine => ({
  lineNumber: 0, receipt, completedAt: new Date(Date.UTC(2026, 11, 1, 6, minute)),
  paidInMinor: paidIn ? 100n : 0n, withdrawnMinor: paidIn ? 0n : 100n, balanceMinor: null,
  transactionStatus: 'Completed', reasonType: '', linkedReceipt: '', accountReference: '',
  raw: '' });

it('may repeat exactly when a receipt comes back in the same direction', () => {
  fc.assert(fc.property(fc.array(fc.record({ receipt: fc.constantFrom('RA1', 'RB2', 'RC3',
    'RD4', 'RE5'), paidIn: fc.boolean(), minute: fc.integer({ min: 0, max: 59 }) }),
  { maxLength: 8 }), fc.integer({ min: 1, max: 4 }), (lines, batch) => {
    const facts = new StagedFacts();
    const all = lines.map((entry) => line(entry.receipt, entry.paidIn, entry.minute));
    for (let start = 0; start < all.length; start += batch) {
      facts.add(all.slice(start, start + batch));
    }
    const keys = lines.map((entry) => `${entry.paidIn}${entry.receipt}`);
    assert.equal(facts.mayRepeat, new Set(keys).size < keys.length);
    const times = all.map((entry) => entry.completedAt.getTime());
    const window = facts.window();
    assert.equal(window.lineCount, all.length);
    assert.equal(window.windowFrom.getTime(), all.length === 0 ? 0 : Math.min(...times));
    assert.equal(window.windowTo.getTime(), all.length === 0 ? 0 : Math.max(...times));
    assert.equal(window.newestFirst, all.length > 0 && (times[0] ?? 0) > (times.at(-1) ?? 0));
  }));
  const asked = { from: new Date(1), to: new Date(2) };
  assert.deepEqual(new StagedFacts().window(asked), { lineCount: 0, windowFrom: asked.from,
    windowTo: asked.to, newestFirst: false });
});
