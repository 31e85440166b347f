import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fitLine } from './fit.ts';

it('recovers the fixed and per-payment cost of exact points', () => {
  const points = [1, 4, 16, 64].map((size) => ({ size, ms: 2.5 / size + 0.3 }));
  const fit = fitLine(points);
  assert.ok(Math.abs(fit.fixedMs - 2.5) < 1e-9);
  assert.ok(Math.abs(fit.perPaymentMs - 0.3) < 1e-9);
});

it('says nothing about a fixed cost from one size', () => {
  const fit = fitLine([{ size: 8, ms: 1 }, { size: 8, ms: 1 }]);
  assert.ok(Number.isNaN(fit.fixedMs));
  assert.equal(fit.perPaymentMs, 1);
});
