import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { payloadFromPdf, renderDocumentPdf } from './document-pdf.ts';
import {
  documentPayloadLengthMax,
  kenyaDate,
  signDocumentFacts,
  verifyDocumentPayload,
  type SignedDocumentFacts,
} from './document-payload.ts';
import { documentSigningKeys } from './document-signing.ts';
import { signedPayloadOf } from './receipt-service.ts';
import { verifySignedReceipt } from './signed-payload.ts';
import { generateSigningKeys, signingKeysOf } from './signing-keys.ts';
import { generateDocumentNumber, normaliseDocumentNumber } from './issued-document-service.ts';
import { money } from '#platform/money/index.ts';

const keys = generateSigningKeys();

function factsOf(overrides: Partial<SignedDocumentFacts> = {}): SignedDocumentFacts {
  return {
    number: 'HD-7K2M9-QX4PL', template: 'certificate', serviceName: 'Certificate of Good Conduct',
    agencyName: 'Directorate of Criminal Investigations', holderName: 'Wanjiku Achieng Kamau',
    issuedOn: '2026-12-03', expiresOn: '2027-06-02', keyId: keys.keyId, ...overrides,
  };
}

describe('document payloads', () => {
  it('signs, and verifies offline with the public key alone (PEM, key, or all keys)', () => {
    const payload = signDocumentFacts(keys.privateKey, factsOf());
    assert.match(payload, /^HD1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const now = new Date('2027-01-01T00:00:00Z');
    for (const key of [keys.publicKeyPem, keys.publicKey, keys, [keys]]) {
      const checked = verifyDocumentPayload(key, payload, now);
      assert.equal(checked.status, 'valid');
      assert.deepEqual(checked.status === 'valid' ? checked.facts : undefined, factsOf());
    }
  });

  it('stays small enough for a QR code a phone reads at small size', () => {
    const payload = signDocumentFacts(keys.privateKey, factsOf());
    assert.ok(payload.length < 400, `${payload.length} characters`);
    const longest = signDocumentFacts(keys.privateKey, factsOf({
      serviceName: 'S'.repeat(300), agencyName: 'A'.repeat(300), holderName: 'H'.repeat(200),
    }));
    assert.ok(longest.length <= documentPayloadLengthMax);
  });

  it('is expired the day after its last day (Kenya time), valid on that day', () => {
    const payload = signDocumentFacts(keys.privateKey, factsOf({ expiresOn: '2027-06-02' }));
    // 20:59 UTC on 2 June is 23:59 in Nairobi: still the last good day.
    assert.equal(verifyDocumentPayload(keys, payload, new Date('2027-06-02T20:59:00Z')).status,
      'valid');
    assert.equal(verifyDocumentPayload(keys, payload, new Date('2027-06-02T21:00:00Z')).status,
      'expired');
    const forever = signDocumentFacts(keys.privateKey, factsOf({ expiresOn: null }));
    assert.equal(verifyDocumentPayload(keys, forever, new Date('2099-01-01')).status, 'valid');
    assert.equal(kenyaDate(new Date('2026-12-03T21:30:00Z')), '2026-12-04');
  });

  it('refuses another key, a receipt payload, and garbage', () => {
    const payload = signDocumentFacts(keys.privateKey, factsOf());
    const other = generateSigningKeys();
    assert.equal(verifyDocumentPayload(other.publicKeyPem, payload).status, 'bad-signature');
    assert.equal(verifyDocumentPayload(other, payload).status, 'bad-signature');
    // A retired key still verifies what it signed.
    const rotated = signingKeysOf(other.privateKey, [keys]);
    assert.equal(verifyDocumentPayload(rotated, payload, new Date('2027-01-01')).status, 'valid');
    const receipt = signedPayloadOf({
      id: 'x', number: 'HR0123456789', sourceKey: 's', invoiceId: 'i',
      invoiceReference: 'K7QM2XRT4',
      payerAccountId: 'p', agencyId: 'a', agencyName: 'Immigration', serviceName: 'Passport',
      amount: money(100n, 'KES'), channel: 'mpesa_stk', providerReference: null,
      paidAt: new Date(), issuedAt: new Date(),
    } as Parameters<typeof signedPayloadOf>[0], keys);
    assert.equal(verifyDocumentPayload(keys, receipt).status, 'malformed');
    assert.equal(verifySignedReceipt(keys.publicKey, payload).ok, false);
    for (const input of ['', 'HD1.', 'HD1.a.b', 'garbage', `${payload}.x`, 'x'.repeat(5000)]) {
      assert.equal(verifyDocumentPayload(keys, input).status, 'malformed', input);
    }
  });

  it('is never valid after any change of one character', () => {
    const payload = signDocumentFacts(keys.privateKey, factsOf());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(fc.property(
      fc.nat({ max: payload.length - 1 }),
      fc.constantFrom(...alphabet),
      (index, replacement) => {
        fc.pre(payload[index] !== replacement);
        const changed = payload.slice(0, index) + replacement + payload.slice(index + 1);
        const checked = verifyDocumentPayload(keys, changed, new Date('2027-01-01'));
        assert.ok(['bad-signature', 'malformed'].includes(checked.status));
      },
    ), { numRuns: 500 });
  });

  it('is never valid after any byte of its signed body or signature is flipped', () => {
    const payload = signDocumentFacts(keys.privateKey, factsOf());
    const [marker = '', body = '', signature = ''] = payload.split('.');
    fc.assert(fc.property(
      fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }),
      (inBody, position, mask) => {
        const bytes = Buffer.from(inBody ? body : signature, 'base64url');
        const index = position % bytes.length;
        bytes[index] = (bytes[index] ?? 0) ^ mask;
        const changed = inBody ? `${marker}.${bytes.toString('base64url')}.${signature}`
          : `${marker}.${body}.${bytes.toString('base64url')}`;
        const status = verifyDocumentPayload(keys, changed, new Date('2027-01-01')).status;
        assert.ok(status === 'bad-signature' || status === 'malformed', status);
      },
    ), { numRuns: 500 });
  });

  it('numbers documents HD-XXXXX-XXXXX and forgives how they are typed', () => {
    const number = generateDocumentNumber();
    assert.match(number, /^HD-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    assert.equal(normaliseDocumentNumber(` hd ${number.slice(3).toLowerCase()} `), number);
  });
});

describe('document PDF', () => {
  it('is a PDF carrying the payload in its metadata, readable without a QR decoder', async () => {
    const payload = signDocumentFacts(keys.privateKey, factsOf());
    const pdf = await renderDocumentPdf({
      nationalLine: 'Republic of Kenya', agencyName: 'Directorate of Criminal Investigations',
      title: 'Certificate: Certificate of Good Conduct',
      rows: [['Issued to', 'Wanjiku Achieng Kamau'], ['Document number', 'HD-7K2M9-QX4PL']],
      verifyUrl: `http://localhost:3000/verify?p=${payload}`,
      verifyCaption: 'Verify at http://localhost:3000/verify', payloadCaption: 'Signed code:',
      payload, issuedAt: new Date('2026-12-03T08:00:00Z'),
    });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.subarray(-8).toString(), /%%EOF/);
    assert.ok(pdf.length < 40_000, `${pdf.length} bytes`);
    assert.equal(payloadFromPdf(pdf), payload);
    assert.match(pdf.toString('latin1'), /\/Title/);
    assert.equal(payloadFromPdf(Buffer.from('%PDF-1.3 nothing here')), undefined);
  });
});

describe('document signing keys', () => {
  it('are loaded once per configuration, so every issuer signs with the keys /verify checks',
    async () => {
      const config = { environment: 'test', dataDirectory: '', signingKey: undefined } as const;
      const first = await documentSigningKeys(config);
      assert.equal(await documentSigningKeys(config), first);
      const other = await documentSigningKeys({ ...config });
      assert.notEqual(other.keyId, first.keyId, 'a test configuration makes a fresh key');
    });
});
