import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { payloadFromPdf } from './document-pdf.ts';
import { documentsPaths } from './documents-paths.ts';
import { issueDocumentInTrx } from './issued-document-service.ts';
import type { DocumentDraft, IssuedDocument } from './issued-document-types.ts';
import { generateSigningKeys } from './signing-keys.ts';

const keys = generateSigningKeys();
const signingKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const html = { accept: 'text/html' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

function documentDraft(overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    sourceKey: `applications:${uuidv7()}`, serviceId: uuidv7(), agencyId: uuidv7(),
    holderAccountId: uuidv7(), holderName: 'Wanjiku Achieng Kamau', template: 'licence',
    facts: [{ label: { en: 'Premises', sw: 'Majengo' }, value: 'Plot 12, Moi Avenue' }],
    issuedAt: new Date('2026-12-03T08:00:00Z'), expiresAt: new Date('2099-12-02T20:00:00Z'),
    serviceName: { en: 'Single Business Permit', sw: 'Kibali cha Biashara' },
    agencyName: { en: 'Nairobi City County', sw: 'Kaunti ya Jiji la Nairobi' },
    ...overrides,
  };
}

describeOnDatabases('issued document routes', (database) => {
  let app: FastifyInstance;
  let holder: TestCaller;
  let agencyId: string;
  let document: IssuedDocument;

  const issue = (draft: DocumentDraft) =>
    database().db.transaction().execute((trx) => issueDocumentInTrx(trx, keys, draft));
  const revoke = (caller: TestCaller, id: string, reason: string) => app.inject({
    method: 'POST', url: documentsPaths.revoke(id),
    headers: { ...html, ...form, ...caller.headers },
    payload: new URLSearchParams({ reason, _csrf: caller.csrfToken }).toString(),
  });
  const verifyApi = async (payload: string) => (await app.inject({
    url: `${documentsPaths.verifyApi}?${new URLSearchParams({ p: payload }).toString()}`,
  })).json<{ status: string; kind?: string; document?: Record<string, unknown> }>();

  before(async () => {
    app = await buildTestApp(database(), {
      config: loadConfig({ HUDUMA_ENV: 'test', HUDUMA_SIGNING_KEY: signingKey }),
    });
    agencyId = await createTestAgency(database(), 'Registrar of Persons');
    holder = await signInAs(database(), 'account-holder');
    document = await issue(documentDraft({ agencyId, holderAccountId: holder.id,
      expiresAt: null }));
  });
  after(async () => app.close());

  it('lists and shows the holder their document, in English and Swahili, with its PDF',
    async () => {
    const list = await app.inject({ url: documentsPaths.documents,
      headers: { ...html, ...holder.headers } });
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(documentsPaths.document(document.id)));
    const page = await app.inject({ url: documentsPaths.document(document.id),
      headers: { ...html, ...holder.headers } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Licence: Single Business Permit<\/h1>/);
    assert.match(page.body, /Wanjiku Achieng Kamau/);
    assert.match(page.body, /Plot 12, Moi Avenue/);
    assert.match(page.body, /<svg[^>]+role="img"/);
    const swahili = await app.inject({ url: documentsPaths.document(document.id),
      headers: { ...html, ...holder.headers, 'accept-language': 'sw' } });
    assert.match(swahili.body, /<h1>Leseni: Kibali cha Biashara<\/h1>/);
    assert.match(swahili.body, /Kaunti ya Jiji la Nairobi/);
    const pdf = await app.inject({ url: documentsPaths.documentPdf(document.id),
      headers: holder.headers });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.equal(payloadFromPdf(pdf.rawPayload), document.payload);
  });

  it('answers 404 to another citizen, to staff of another agency, and for no document',
    async () => {
    const stranger = await signInAs(database(), 'account-holder');
    const otherAgency = await createTestAgency(database(), 'Lands');
    const otherOfficer = await signInAs(database(), 'agency-officer', { agencyId: otherAgency });
    for (const [caller, url] of [
      [stranger, documentsPaths.document(document.id)],
      [stranger, documentsPaths.documentPdf(document.id)],
      [otherOfficer, documentsPaths.staffDocument(document.id)],
      [otherOfficer, documentsPaths.staffDocumentPdf(document.id)],
      [holder, documentsPaths.document(uuidv7())],
    ] as const) {
      const response = await app.inject({ url, headers: { ...html, ...caller.headers } });
      assert.equal(response.statusCode, 404, url);
      assert.doesNotMatch(response.body, /Wanjiku/);
    }
    const strangersList = await app.inject({ url: documentsPaths.documents,
      headers: { ...html, ...stranger.headers } });
    assert.doesNotMatch(strangersList.body, /Single Business Permit/);
  });

  it('shows the issuing agency\'s staff, treasury and auditors the document; only a ' +
    'supervisor sees the revoke form', async () => {
    const officer = await signInAs(database(), 'agency-officer', { agencyId });
    const supervisor = await signInAs(database(), 'agency-supervisor', { agencyId });
    const treasury = await signInAs(database(), 'treasury');
    const auditor = await signInAs(database(), 'auditor');
    for (const caller of [officer, supervisor, treasury, auditor]) {
      const response = await app.inject({ url: documentsPaths.staffDocument(document.id),
        headers: { ...html, ...caller.headers } });
      assert.equal(response.statusCode, 200, caller.role);
      const hasForm = response.body.includes(`action="${documentsPaths.revoke(document.id)}"`);
      assert.equal(hasForm, caller === supervisor, caller.role);
    }
  });

  it('lets only a supervisor of the issuing agency revoke, with a reason', async () => {
    const target = await issue(documentDraft({ agencyId, holderAccountId: holder.id }));
    const otherAgency = await createTestAgency(database(), 'Immigration');
    const otherSupervisor = await signInAs(database(), 'agency-supervisor',
      { agencyId: otherAgency });
    const treasury = await signInAs(database(), 'treasury');
    const officer = await signInAs(database(), 'agency-officer', { agencyId });
    assert.equal((await revoke(otherSupervisor, target.id, 'Forged')).statusCode, 404);
    assert.equal((await revoke(treasury, target.id, 'Forged')).statusCode, 403);
    assert.equal((await revoke(officer, target.id, 'Forged')).statusCode, 403);
    assert.equal((await verifyApi(target.payload)).status, 'valid');

    const supervisor = await signInAs(database(), 'agency-supervisor', { agencyId });
    const empty = await revoke(supervisor, target.id, '  ');
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /class="error-summary"/);
    assert.match(empty.body, /Enter the reason for revoking the document/);
    assert.match(empty.body, /aria-invalid="true"/);
    assert.match(empty.body, /<title>Error: /);
    const done = await revoke(supervisor, target.id, 'Issued against a forged title deed');
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, documentsPaths.staffDocument(target.id));
    const twice = await revoke(supervisor, target.id, 'Again');
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /revoked already/);

    const holderPage = await app.inject({ url: documentsPaths.document(target.id),
      headers: { ...html, ...holder.headers } });
    assert.match(holderPage.body, /revoked by the issuing agency/);
    assert.match(holderPage.body, /forged title deed/);
    const answer = await verifyApi(target.payload);
    assert.equal(answer.status, 'revoked');
    assert.match(String(answer.document?.['revokedOn']), /^\d{4}-\d{2}-\d{2}$/);
    const page = await app.inject({ url: documentsPaths.verify(target.payload), headers: html });
    assert.match(page.body, /This document has been revoked/);
    assert.doesNotMatch(page.body, /forged title deed/, 'the reason stays off the public page');
  });

  it('answers /verify and its API: valid, expired and unknown', async () => {
    const valid = await app.inject({ url: documentsPaths.verify(document.payload),
      headers: html });
    assert.equal(valid.statusCode, 200);
    assert.match(valid.body, /This document is genuine/);
    assert.match(valid.body, /Wanjiku Achieng Kamau/);
    assert.match(valid.body, new RegExp(document.number));
    const pasted = await app.inject({ url: documentsPaths.verify(
      ` https://huduma.example${documentsPaths.verify(document.payload)}\n`), headers: html });
    assert.match(pasted.body, /This document is genuine/);
    const answer = await verifyApi(document.payload);
    assert.equal(answer.status, 'valid');
    assert.equal(answer.kind, 'document');
    assert.deepEqual(answer.document, {
      type: 'licence', number: document.number, serviceName: 'Single Business Permit',
      agencyName: 'Nairobi City County', holderName: 'Wanjiku Achieng Kamau',
      issuedOn: '2026-12-03', expiresOn: null,
    });

    const expired = await issue(documentDraft({ agencyId, holderAccountId: holder.id,
      issuedAt: new Date('2025-01-01T08:00:00Z'), expiresAt: new Date('2025-12-31T08:00:00Z') }));
    assert.equal((await verifyApi(expired.payload)).status, 'expired');
    const expiredPage = await app.inject({ url: documentsPaths.verify(expired.payload),
      headers: { ...html, 'accept-language': 'sw' } });
    assert.match(expiredPage.body, /Muda wa hati hii umeisha/);

    const tampered = `${document.payload.slice(0, -3)}AAA`;
    for (const input of [tampered, 'HD1.garbage.x']) {
      assert.deepEqual(await verifyApi(input), { status: 'unknown' });
      const page = await app.inject({ url: documentsPaths.verify(input), headers: html });
      assert.match(page.body, /We do not recognise this document/);
    }
    const foreign = generateSigningKeys();
    const other = await database().db.transaction().execute((trx) =>
      issueDocumentInTrx(trx, foreign, documentDraft({ agencyId, holderAccountId: holder.id })));
    assert.equal((await verifyApi(other.payload)).status, 'unknown');
    const missing = await app.inject({ url: documentsPaths.verifyApi });
    assert.equal(missing.statusCode, 400);
  });
});
