import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  billReferenceAlphabet,
  billReferenceLengthMax,
  checkSymbol,
  generateBillReference,
  normaliseBillReferenceInput,
  parseBillReference,
} from './bill-reference.ts';

const symbol = fc.constantFrom(...billReferenceAlphabet);
const body = fc.array(symbol, { minLength: 5, maxLength: 11 }).map((symbols) => symbols.join(''));
const reference = body.map((text) => `${text}${checkSymbol(text)}`);

function replaceAt(text: string, index: number, replacement: string): string {
  return text.slice(0, index) + replacement + text.slice(index + replacement.length);
}

describe('bill references', () => {
  it('generates references of at most 12 symbols, from the alphabet, that validate', () => {
    for (let round = 0; round < 1_000; round += 1) {
      const generated = generateBillReference(randomBytes);
      assert.equal(generated.length, 10);
      assert.match(generated, /^[0-9A-HJKMNP-TV-Z]+$/);
      assert.equal(parseBillReference(generated), generated);
    }
    const prefixed = generateBillReference(randomBytes, 'KRA');
    assert.ok(prefixed.startsWith('KRA'));
    assert.equal(prefixed.length, billReferenceLengthMax);
    assert.equal(parseBillReference(prefixed), prefixed);
    assert.throws(() => generateBillReference(randomBytes, 'KRAX'), /prefix/);
    assert.throws(() => generateBillReference(randomBytes, 'IO'), /prefix/);
  });

  it('uses no look-alike symbols', () => {
    assert.equal(billReferenceAlphabet.length, 32);
    for (const letter of ['I', 'L', 'O', 'U']) assert.ok(!billReferenceAlphabet.includes(letter));
  });

  it('normalises what people type: case, spaces, hyphens, O for 0 and I or L for 1', () => {
    const table: ReadonlyArray<readonly [string, string]> = [
      ['abc-def 123', 'ABCDEF123'],
      ['  h7 k3-m9 ', 'H7K3M9'],
      ['o0il1', '00111'],
      ['\tx\ny', 'XY'],
    ];
    for (const [input, expected] of table) {
      assert.equal(normaliseBillReferenceInput(input), expected, input);
    }
    const generated = generateBillReference(randomBytes);
    const typed = `${generated.slice(0, 3).toLowerCase()} ${generated.slice(3, 6)}-` +
      `${generated.slice(6)}`;
    assert.equal(parseBillReference(typed), generated);
  });

  it('rejects wrong lengths and symbols outside the alphabet', () => {
    const table: ReadonlyArray<readonly [string, string]> = [
      ['', 'empty'],
      ['7K3M', 'too short'],
      ['0123456789ABC', 'too long'],
      ['UUUUUUUUUU', 'U is not in the alphabet'],
      ['ABC#EF1234', 'punctuation'],
      ['ABCDEFÄ123', 'a letter outside ASCII'],
    ];
    for (const [input, why] of table) assert.equal(parseBillReference(input), undefined, why);
  });

  it('catches every single-symbol error', () => {
    fc.assert(fc.property(reference, fc.nat(), symbol, (valid, at, replacement) => {
      const index = at % valid.length;
      fc.pre(valid[index] !== replacement);
      assert.equal(parseBillReference(replaceAt(valid, index, replacement)), undefined);
    }), { numRuns: 2_000 });
  });

  it('catches every single-symbol error, exhaustively on one reference', () => {
    const valid = generateBillReference(randomBytes);
    for (let index = 0; index < valid.length; index += 1) {
      for (const replacement of billReferenceAlphabet) {
        if (valid[index] === replacement) continue;
        assert.equal(parseBillReference(replaceAt(valid, index, replacement)), undefined);
      }
    }
  });

  it('catches every adjacent transposition, check symbol included', () => {
    fc.assert(fc.property(reference, fc.nat(), (valid, at) => {
      const index = at % (valid.length - 1);
      const first = valid[index] ?? '';
      const second = valid[index + 1] ?? '';
      fc.pre(first !== second);
      assert.equal(parseBillReference(replaceAt(valid, index, second + first)), undefined);
    }), { numRuns: 2_000 });
  });

  it('catches every jump transposition (abc -> cba)', () => {
    fc.assert(fc.property(reference, fc.nat(), (valid, at) => {
      const index = at % (valid.length - 2);
      const [a, b, c] = [valid[index] ?? '', valid[index + 1] ?? '', valid[index + 2] ?? ''];
      fc.pre(a !== c);
      assert.equal(parseBillReference(replaceAt(valid, index, c + b + a)), undefined);
    }), { numRuns: 2_000 });
  });

  it('catches every twin error (aa -> bb)', () => {
    const parts = fc.tuple(body, symbol, symbol, fc.array(symbol, { maxLength: 3 }));
    fc.assert(fc.property(parts, ([head, twin, other, tail]) => {
      fc.pre(twin !== other);
      const text = `${head.slice(0, 6)}${twin}${twin}${tail.join('')}`;
      const valid = `${text}${checkSymbol(text)}`;
      const index = Math.min(head.length, 6);
      assert.equal(parseBillReference(replaceAt(valid, index, other + other)), undefined);
    }), { numRuns: 2_000 });
  });

  it('accepts only 1 in 32 random strings of the right length (the check symbol works)', () => {
    const rounds = 32_000;
    let accepted = 0;
    for (let round = 0; round < rounds; round += 1) {
      const bytes = randomBytes(10);
      const text = [...bytes].map((byte) => billReferenceAlphabet[byte % 32]).join('');
      if (parseBillReference(text) !== undefined) accepted += 1;
    }
    // Expected 1000; the bounds are about six standard deviations wide.
    assert.ok(accepted > 800 && accepted < 1_200, `accepted ${accepted} of ${rounds}`);
  });
});
