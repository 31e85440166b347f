import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money } from '#platform/money/index.ts';
import {
  encodeFacts,
  signReceiptFacts,
  verifySignedReceipt,
  type SignedReceiptFacts,
} from './signed-payload.ts';
import { generateSigningKeys, parseSigningKey, signingKeysOf } from './signing-keys.ts';

const keys = generateSigningKeys();
const facts: SignedReceiptFacts = {
  receiptNumber: 'HR0123456789',
  invoiceReference: 'K7QM2XRT4',
  amount: money(105_000n, 'KES'),
  agencyName: 'Immigration',
  paidAt: new Date('2026-12-01T09:00:00Z'),
  keyId: keys.keyId,
};

function flipCharacter(text: string, index: number): string {
  const character = text[index] ?? 'A';
  const replacement = character === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('signed receipt payload', () => {
  it('verifies offline with nothing but the published PEM', () => {
    const payload = signReceiptFacts(keys.privateKey, facts);
    const checked = verifySignedReceipt(keys.publicKeyPem, payload);
    assert.ok(checked.ok);
    assert.deepEqual(checked.value, facts);
  });

  it('is compact enough for a QR code a phone reads, and deterministic', () => {
    const payload = signReceiptFacts(keys.privateKey, facts);
    assert.ok(payload.length < 400, `payload is ${payload.length} characters`);
    assert.equal(signReceiptFacts(keys.privateKey, facts), payload);
    assert.match(payload, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuses changed facts: a new amount under the old signature', () => {
    const payload = signReceiptFacts(keys.privateKey, facts);
    const signature = payload.split('.')[1] ?? '';
    const forged = `${encodeFacts({ ...facts, amount: money(5_000_000n, 'KES') })
      .toString('base64url')}.${signature}`;
    assert.deepEqual(verifySignedReceipt(keys.publicKey, forged),
      { ok: false, error: 'signature-invalid' });
  });

  it('refuses a payload signed by another key', () => {
    const other = generateSigningKeys();
    const payload = signReceiptFacts(other.privateKey, facts);
    assert.deepEqual(verifySignedReceipt(keys.publicKeyPem, payload),
      { ok: false, error: 'signature-invalid' });
  });

  it('calls garbage malformed, never throws', () => {
    for (const input of ['', '.', 'a.b.c', 'not base64!.xx', 'e30.AAAA', 'x'.repeat(5000)]) {
      assert.deepEqual(verifySignedReceipt(keys.publicKey, input),
        { ok: false, error: 'malformed' }, input);
    }
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (input) => {
      assert.equal(verifySignedReceipt(keys.publicKey, input).ok, false);
    }), { numRuns: 300 });
  });

  it('no single-character change of a payload still verifies', () => {
    const payload = signReceiptFacts(keys.privateKey, facts);
    fc.assert(fc.property(fc.nat({ max: payload.length - 1 }), (index) => {
      if (payload[index] === '.') return;
      const changed = flipCharacter(payload, index);
      fc.pre(changed !== payload);
      const checked = verifySignedReceipt(keys.publicKey, changed);
      // A change in the last base64url character may only touch padding bits: still ours.
      if (checked.ok) assert.deepEqual(checked.value, facts);
    }), { numRuns: 200 });
  });

  it('reads keys as PEM and as base64 DER, and refuses non-Ed25519 keys', () => {
    const pem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = keys.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    assert.equal(signingKeysOf(parseSigningKey(pem)).keyId, keys.keyId);
    assert.equal(signingKeysOf(parseSigningKey(der)).keyId, keys.keyId);
    assert.equal(keys.publicJwk['crv'], 'Ed25519');
    assert.throws(() => parseSigningKey('bm90IGEga2V5'));
  });
});
