import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findUnsafeInput } from './input-guard.ts';

describe('the input guard', () => {
  it('names where a NUL character or a number that is not finite is', () => {
    assert.equal(findUnsafeInput({ a: ['ok', 'x\u0000'] }, 'body'),
      'body.a.1: text must not contain the NUL character (U+0000)');
    assert.equal(findUnsafeInput({ page: Number.POSITIVE_INFINITY }, 'querystring'),
      'querystring.page: must be a finite number');
    assert.equal(findUnsafeInput({ n: Number.NaN }, 'body'), 'body.n: must be a finite number');
    assert.equal(findUnsafeInput({ 'a\u0000': 'x' }, 'body'),
      'body: a name must not contain the NUL character (U+0000)');
  });

  it('passes everything else, bytes included, and refuses nesting past its limit', () => {
    assert.equal(findUnsafeInput({ a: 'é😀\ud800', b: [1, -0, null, true], c: {} }, 'body'),
      undefined);
    assert.equal(findUnsafeInput(Buffer.from([0, 0, 0]), 'body'), undefined);
    let deep: unknown = 'x';
    for (let level = 0; level < 40; level += 1) deep = [deep];
    assert.match(findUnsafeInput(deep, 'body') ?? '', /is nested too deeply/);
  });

  it('finds a NUL wherever it is in JSON-like input (property)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      const text = JSON.stringify(value) ?? '';
      const hasNul = text.includes('\\u0000');
      const hasUnsafe = findUnsafeInput(value, 'body') !== undefined;
      assert.equal(hasUnsafe, hasNul);
    }));
  });
});
