import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { listAuditForSubject } from '#modules/audit/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signDocumentFacts } from './document-payload.ts';
import { verifyDocumentOnline } from './document-verify-service.ts';
import {
  findIssuedDocument,
  findIssuedDocumentByNumber,
  findIssuedDocumentBySourceKey,
  issueDocumentInTrx,
  listDocumentsOfHolder,
  revokeDocument,
  signedDocumentFactsOf,
} from './issued-document-service.ts';
import type { DocumentDraft } from './issued-document-types.ts';
import { generateSigningKeys, signingKeysOf } from './signing-keys.ts';

const keys = generateSigningKeys();
const staff = { kind: 'staff', id: uuidv7(), role: 'agency-supervisor' } as const;

function documentDraft(overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    sourceKey: `applications:${uuidv7()}`, serviceId: uuidv7(), agencyId: uuidv7(),
    holderAccountId: uuidv7(), holderName: 'Wanjiku Achieng Kamau', template: 'licence',
    facts: [{ label: { en: 'Premises', sw: 'Majengo' }, value: 'Plot 12, Moi Avenue' }],
    issuedAt: new Date('2026-12-03T08:00:00Z'), expiresAt: new Date('2027-12-02T20:00:00Z'),
    serviceName: { en: 'Single Business Permit', sw: 'Kibali cha Biashara' },
    agencyName: { en: 'Nairobi City County', sw: 'Kaunti ya Jiji la Nairobi' },
    ...overrides,
  };
}

describeOnDatabases('issued documents', (database) => {
  const deps = () => ({ db: database().db });
  const issue = (draft: DocumentDraft, signing = keys) =>
    database().db.transaction().execute((trx) => issueDocumentInTrx(trx, signing, draft));
  const during = new Date('2027-01-10T09:00:00Z');

  let draft: DocumentDraft;
  before(() => {
    draft = documentDraft();
  });

  it('issues one document per source, however often asked, and finds it every way', async () => {
    const first = await issue(draft);
    const second = await issue(draft);
    assert.equal(second.id, first.id);
    assert.equal(second.payload, first.payload);
    assert.match(first.number, /^HD-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const found = await findIssuedDocument(deps(), first.id);
    assert.deepEqual(found, first);
    assert.deepEqual(await findIssuedDocumentBySourceKey(deps(), draft.sourceKey), first);
    assert.equal((await findIssuedDocumentByNumber(deps(), first.number.toLowerCase()))?.id,
      first.id);
    assert.deepEqual((await listDocumentsOfHolder(deps(), draft.holderAccountId))
      .map((document) => document.id), [first.id]);
    assert.equal(await findIssuedDocument(deps(), 'not-an-id'), undefined);
  });

  it('commits with the caller\'s transaction, or not at all', async () => {
    const rolledBack = documentDraft();
    await assert.rejects(database().db.transaction().execute(async (trx) => {
      await issueDocumentInTrx(trx, keys, rolledBack);
      throw new Error('the application\'s issue action failed');
    }), /issue action failed/);
    assert.equal(await findIssuedDocumentBySourceKey(deps(), rolledBack.sourceKey), undefined);
  });

  it('verifies valid, expired, revoked, unknown and tampered payloads online', async () => {
    const document = await issue(draft);
    const valid = await verifyDocumentOnline(deps(), keys, document.payload, during);
    assert.equal(valid.status, 'valid');
    const late = await verifyDocumentOnline(deps(), keys, document.payload,
      new Date('2027-12-03T00:00:00Z'));
    assert.equal(late.status, 'expired');
    // Signed by us, well formed, but never issued: unknown.
    const forged = signDocumentFacts(keys.privateKey,
      { ...signedDocumentFactsOf(document, keys.keyId), number: 'HD-00000-00000' });
    assert.equal((await verifyDocumentOnline(deps(), keys, forged, during)).status, 'unknown');
    // Signed by us with a changed holder: the record disagrees, unknown.
    const renamed = signDocumentFacts(keys.privateKey,
      { ...signedDocumentFactsOf(document, keys.keyId), holderName: 'Someone Else' });
    assert.equal((await verifyDocumentOnline(deps(), keys, renamed, during)).status, 'unknown');
    // One signature symbol changed well before the end (the last symbol holds padding bits,
    // which a change may leave decoding to the same bytes).
    const at = document.payload.length - 10;
    const tampered = `${document.payload.slice(0, at)}${
      document.payload[at] === 'A' ? 'B' : 'A'}${document.payload.slice(at + 1)}`;
    assert.equal((await verifyDocumentOnline(deps(), keys, tampered, during)).status, 'unknown');
    const foreign = generateSigningKeys();
    assert.equal((await verifyDocumentOnline(deps(), foreign, document.payload, during)).status,
      'unknown');
    // After a rotation the old key is retired: what it signed still verifies.
    const rotated = signingKeysOf(foreign.privateKey, [keys]);
    assert.equal((await verifyDocumentOnline(deps(), rotated, document.payload, during)).status,
      'valid');
  });

  it('revokes once, audited, only by the issuing agency, with a reason', async () => {
    const document = await issue(documentDraft());
    const revoke = (overrides: Partial<Parameters<typeof revokeDocument>[1]> = {}) =>
      revokeDocument(deps(), { documentId: document.id, reason: 'Issued on a forged title deed',
        actor: staff, agencyScope: document.agencyId, now: during, ...overrides });
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const refused = await revoke({ reason });
      assert.equal(refused.ok ? undefined : refused.error.code,
        'DOCUMENTS_REVOCATION_REASON_INVALID');
    }
    const otherAgency = await revoke({ agencyScope: uuidv7() });
    assert.equal(otherAgency.ok ? undefined : otherAgency.error.code,
      'DOCUMENTS_DOCUMENT_NOT_FOUND');
    assert.equal((await findIssuedDocument(deps(), document.id))?.revokedAt, null);
    let notified = '';
    const revoked = await revoke({ notifyHolderInTrx: async (_trx, revokedDocument) => {
      notified = revokedDocument.number;
    } });
    assert.ok(revoked.ok);
    assert.equal(notified, document.number);
    assert.equal(revoked.value.revocationReason, 'Issued on a forged title deed');
    const again = await revoke({ reason: 'Another reason' });
    assert.equal(again.ok ? undefined : again.error.code, 'DOCUMENTS_DOCUMENT_ALREADY_REVOKED');
    const stored = await findIssuedDocument(deps(), document.id);
    assert.equal(stored?.revokedAt?.getTime(), during.getTime());
    assert.equal(stored.revocationReason, 'Issued on a forged title deed');
    const audit = await listAuditForSubject(database().db,
      { type: 'issued_document', id: document.id }, { limit: 10 });
    assert.deepEqual(audit.map((record) => [record.action, record.actor.id, record.agencyId]),
      [['DOCUMENT_REVOKED', staff.id, document.agencyId]]);
    assert.equal((await verifyDocumentOnline(deps(), keys, document.payload, during)).status,
      'revoked');
  });

  it('issues and revokes exactly once under concurrency', async () => {
    const concurrent = documentDraft();
    const issued = await Promise.all([1, 2, 3, 4].map(() => issue(concurrent)));
    assert.equal(new Set(issued.map((document) => document.id)).size, 1);
    const id = issued[0]?.id ?? '';
    const outcomes = await Promise.all(['First', 'Second', 'Third'].map((reason) =>
      revokeDocument(deps(), { documentId: id, reason, actor: staff, agencyScope: 'all',
        now: during })));
    assert.equal(outcomes.filter((outcome) => outcome.ok).length, 1);
    assert.deepEqual(outcomes.flatMap((outcome) => outcome.ok ? [] : [outcome.error.code]),
      ['DOCUMENTS_DOCUMENT_ALREADY_REVOKED', 'DOCUMENTS_DOCUMENT_ALREADY_REVOKED']);
    const audit = await listAuditForSubject(database().db, { type: 'issued_document', id },
      { limit: 10 });
    assert.equal(audit.length, 1, 'one revocation, one audit record');
  });

  it('rolls the revocation back when telling the holder fails', async () => {
    const document = await issue(documentDraft());
    await assert.rejects(revokeDocument(deps(), {
      documentId: document.id, reason: 'Duplicate', actor: staff, agencyScope: 'all', now: during,
      notifyHolderInTrx: async () => {
        throw new Error('no contact');
      },
    }), /no contact/);
    assert.equal((await findIssuedDocument(deps(), document.id))?.revokedAt, null);
  });

  it('refuses a draft that breaks the limits (a bug in the caller)', async () => {
    await assert.rejects(issue(documentDraft({ holderName: ' ' })), /holder name/);
    await assert.rejects(issue(documentDraft({ expiresAt: new Date('2026-01-01') })),
      /expires after/);
  });
});
