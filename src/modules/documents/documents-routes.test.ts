import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { documentsPaths } from './documents-paths.ts';
import { issueReceipt, type ReceiptDraft } from './receipt-service.ts';
import { encodeFacts, verifySignedReceipt } from './signed-payload.ts';

const html = { accept: 'text/html' };

function draftFor(payerAccountId: string, agencyId: string): ReceiptDraft {
  return {
    sourceKey: `test:allocation:${uuidv7()}`, invoiceId: uuidv7(), invoiceReference: 'K7QM2XRT4',
    payerAccountId, agencyId, agencyName: 'Immigration', serviceName: 'Passport',
    amount: money(105_000n, 'KES'), channel: 'mpesa_stk', providerReference: 'UKS1ABCDEF',
    paidAt: new Date('2026-12-01T09:00:00Z'),
  };
}

function payloadOf(body: string): string {
  const match = /href="\/verify\?p=([^"]+)"/.exec(body)?.[1];
  assert.ok(match !== undefined, 'the receipt page links to /verify with its payload');
  return decodeURIComponent(match.replaceAll('&amp;', '&'));
}

describeOnDatabases('documents routes', (database) => {
  let app: FastifyInstance;
  let payer: TestCaller;
  let receiptId: string;
  let agencyId: string;

  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Immigration');
    payer = await signInAs(database(), 'account-holder');
    receiptId = (await issueReceipt({ db: database().db }, draftFor(payer.id, agencyId),
      new Date())).id;
  });
  after(async () => app.close());

  it('issues one receipt per source, however often asked', async () => {
    const draft = draftFor(payer.id, agencyId);
    const first = await issueReceipt({ db: database().db }, draft, new Date());
    const second = await issueReceipt({ db: database().db }, draft, new Date());
    assert.equal(second.id, first.id);
    assert.equal(second.number, first.number);
    assert.match(first.number, /^HR[0-9A-Z]{10}$/);
  });

  it('shows the payer their receipt, with a QR code and a PDF', async () => {
    const page = await app.inject({ url: documentsPaths.receipt(receiptId),
      headers: { ...html, ...payer.headers } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /KES\s1,050\.00/);
    assert.match(page.body, /<svg[^>]+role="img"/);
    const pdf = await app.inject({ url: documentsPaths.receiptPdf(receiptId),
      headers: payer.headers });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  });

  it('answers 404 to another citizen and to staff of another agency', async () => {
    const stranger = await signInAs(database(), 'account-holder');
    const otherAgency = await createTestAgency(database(), 'Lands');
    const otherOfficer = await signInAs(database(), 'agency-officer', { agencyId: otherAgency });
    for (const [caller, url] of [
      [stranger, documentsPaths.receipt(receiptId)],
      [stranger, documentsPaths.receiptPdf(receiptId)],
      [otherOfficer, documentsPaths.staffReceipt(receiptId)],
      [otherOfficer, documentsPaths.staffReceiptPdf(receiptId)],
    ] as const) {
      const response = await app.inject({ url, headers: { ...html, ...caller.headers } });
      assert.equal(response.statusCode, 404, url);
      assert.doesNotMatch(response.body, /K7QM2XRT4/);
    }
    const unknown = await app.inject({ url: documentsPaths.receipt(uuidv7()),
      headers: { ...html, ...payer.headers } });
    assert.equal(unknown.statusCode, 404);
  });

  it('shows staff of the agency, treasury and auditors the receipt under /staff', async () => {
    const officer = await signInAs(database(), 'agency-officer', { agencyId });
    const auditor = await signInAs(database(), 'auditor');
    for (const caller of [officer, auditor]) {
      const response = await app.inject({ url: documentsPaths.staffReceipt(receiptId),
        headers: { ...html, ...caller.headers } });
      assert.equal(response.statusCode, 200, caller.role);
    }
    const anonymous = await app.inject({ url: documentsPaths.receipt(receiptId), headers: html });
    assert.equal(anonymous.statusCode, 303);
  });

  it('verifies the receipt online, and offline against the published key', async () => {
    const page = await app.inject({ url: documentsPaths.receipt(receiptId),
      headers: { ...html, ...payer.headers } });
    const payload = payloadOf(page.body);
    const valid = await app.inject({ url: documentsPaths.verify(payload), headers: html });
    assert.equal(valid.statusCode, 200);
    assert.match(valid.body, /This receipt is genuine/);
    assert.match(valid.body, /K7QM2XRT4/);
    const pasted = await app.inject({
      url: documentsPaths.verify(`  http://x.test${documentsPaths.verify(payload)}\n`),
      headers: html });
    assert.match(pasted.body, /This receipt is genuine/);
    const published = await app.inject({ url: documentsPaths.signingKey });
    const key = published.json<{ publicKeyPem: string; jwk: { crv: string } }>();
    assert.equal(key.jwk.crv, 'Ed25519');
    const offline = verifySignedReceipt(key.publicKeyPem, payload);
    assert.ok(offline.ok);
    assert.equal(offline.value.invoiceReference, 'K7QM2XRT4');
    const pem = await app.inject({ url: documentsPaths.signingKeyPem });
    assert.equal(pem.body, key.publicKeyPem);
  });

  it('calls tampered, foreign and unissued payloads unknown', async () => {
    const page = await app.inject({ url: documentsPaths.receipt(receiptId),
      headers: { ...html, ...payer.headers } });
    const payload = payloadOf(page.body);
    const checked = verifySignedReceipt((await app.inject({ url: documentsPaths.signingKeyPem }))
      .body, payload);
    assert.ok(checked.ok);
    const signature = payload.split('.')[1] ?? '';
    const tampered = `${encodeFacts({ ...checked.value, amount: money(1n, 'KES') })
      .toString('base64url')}.${signature}`;
    for (const input of [tampered, 'garbage', `${payload}x`]) {
      const response = await app.inject({ url: documentsPaths.verify(input), headers: html });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /We do not recognise this receipt/, input);
    }
    const form = await app.inject({ url: documentsPaths.verify(), headers: html });
    assert.match(form.body, /<textarea id="p" name="p"/);
  });

  it('calls a payload signed with another platform key unknown', async () => {
    // A second app signs with its own fresh key: its receipts are not ours.
    const other = await buildTestApp(database());
    try {
      const page = await other.inject({ url: documentsPaths.receipt(receiptId),
        headers: { ...html, ...payer.headers } });
      const foreign = payloadOf(page.body);
      const response = await app.inject({ url: documentsPaths.verify(foreign), headers: html });
      assert.match(response.body, /We do not recognise this receipt/);
    } finally {
      await other.close();
    }
  });
});
