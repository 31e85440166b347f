/**
 * Receipts stay verifiable after the signing key is rotated: a payload names its key (k), the
 * retired public keys (HUDUMA_SIGNING_KEYS_RETIRED) are published beside the current one, and
 * /verify checks each payload against the key it names. Without the retired key, the old
 * receipts are unknown; a forged payload naming a retired key is unknown too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { documentsPaths } from './documents-paths.ts';
import { issueReceipt, signedFactsOf, signedPayloadOf } from './receipt-service.ts';
import type { ReceiptRecord } from './receipt-repo.ts';
import { signReceiptFacts, verifySignedReceipt } from './signed-payload.ts';
import {
  generateSigningKeys,
  loadSigningKeys,
  parseRetiredKeys,
  type SigningKeys,
} from './signing-keys.ts';

const html = { accept: 'text/html' };
const privatePem = (keys: SigningKeys) =>
  keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicDer = (keys: SigningKeys) =>
  keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

describeOnDatabases('receipts after a key rotation', (database) => {
  const before2026 = generateSigningKeys();
  const older = generateSigningKeys();
  const current = generateSigningKeys();
  let rotated: FastifyInstance;
  let forgetful: FastifyInstance;
  let receipt: ReceiptRecord;

  before(async () => {
    const app = (retired?: string) => buildTestApp(database(), { config: loadConfig({
      HUDUMA_ENV: 'test', HUDUMA_SIGNING_KEY: privatePem(current),
      ...(retired === undefined ? {} : { HUDUMA_SIGNING_KEYS_RETIRED: retired }) }) });
    rotated = await app(`${before2026.publicKeyPem}\n${older.publicKeyPem}`);
    forgetful = await app();
    const payer = await signInAs(database(), 'account-holder');
    const agencyId = await createTestAgency(database(), 'Immigration');
    receipt = await issueReceipt({ db: database().db }, {
      sourceKey: `test:allocation:${uuidv7()}`, invoiceId: uuidv7(), invoiceReference: 'K7QM2XRT4',
      payerAccountId: payer.id, agencyId, agencyName: 'Immigration', serviceName: 'Passport',
      amount: money(105_000n, 'KES'), channel: 'mpesa_stk', providerReference: 'UKS1ABCDEF',
      paidAt: new Date('2026-11-28T07:15:00Z'),
    }, new Date());
  });
  after(async () => {
    await rotated.close();
    await forgetful.close();
  });

  const verdict = async (app: FastifyInstance, payload: string) => {
    const page = await app.inject({ url: documentsPaths.verify(payload), headers: html });
    assert.equal(page.statusCode, 200);
    return /This receipt is genuine/.test(page.body) ? 'genuine'
      : /We do not recognise this receipt/.test(page.body) ? 'unknown' : page.body;
  };

  it('verifies receipts signed by the current key and by each retired key', async () => {
    for (const keys of [current, older, before2026]) {
      assert.equal(await verdict(rotated, signedPayloadOf(receipt, keys)), 'genuine',
        keys.keyId);
    }
  });

  it('calls a receipt of a retired key unknown when that key is not configured', async () => {
    assert.equal(await verdict(forgetful, signedPayloadOf(receipt, older)), 'unknown');
    assert.equal(await verdict(forgetful, signedPayloadOf(receipt, current)), 'genuine');
  });

  it('calls a payload that names a retired key but was signed by another unknown', async () => {
    const stranger = generateSigningKeys();
    const forged = signReceiptFacts(stranger.privateKey,
      { ...signedFactsOf(receipt, stranger), keyId: older.keyId });
    assert.equal(await verdict(rotated, forged), 'unknown');
  });

  it('publishes every key a receipt may name, so anyone can check offline', async () => {
    const published = (await rotated.inject({ url: documentsPaths.signingKey }))
      .json<{ keyId: string; keys: { keyId: string; status: string; publicKeyPem: string }[] }>();
    assert.equal(published.keyId, current.keyId);
    assert.deepEqual(published.keys.map((key) => [key.keyId, key.status]), [
      [current.keyId, 'current'], [before2026.keyId, 'retired'], [older.keyId, 'retired']]);
    const payload = signedPayloadOf(receipt, older);
    const named = published.keys.find((key) => key.keyId === older.keyId);
    assert.ok(named !== undefined);
    assert.ok(verifySignedReceipt(named.publicKeyPem, payload).ok);
  });
});

describe('reading retired keys', () => {
  it('takes PEM blocks or base64 DER, and names a bad key without echoing it', async () => {
    const [one, two] = [generateSigningKeys(), generateSigningKeys()];
    assert.deepEqual(parseRetiredKeys(`${publicDer(one)}, ${publicDer(two)}`)
      .map((key) => key.keyId), [one.keyId, two.keyId]);
    assert.throws(() => parseRetiredKeys(`${publicDer(one)},c2VjcmV0`),
      (error: Error) => /HUDUMA_SIGNING_KEYS_RETIRED: key 2 is not a public key/
        .test(error.message) && !error.message.includes('c2VjcmV0'));
    const loaded = await loadSigningKeys({ environment: 'test', dataDirectory: '.',
      signingKey: privatePem(one), signingKeysRetired: `${one.publicKeyPem}${two.publicKeyPem}` });
    assert.deepEqual(loaded.retired.map((key) => key.keyId), [two.keyId],
      'the current key is not also listed as retired');
  });
});
