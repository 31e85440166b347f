/**
 * Revoking a document tells its holder: one message, queued in the revoking transaction, to
 * their contact in their language. Nothing is queued for a holder with no account contact, and
 * a refused second revocation queues nothing more. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '#config';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { documentsPaths } from './documents-paths.ts';
import { issueDocumentInTrx } from './issued-document-service.ts';
import type { DocumentDraft, IssuedDocument } from './issued-document-types.ts';
import { generateSigningKeys } from './signing-keys.ts';

const keys = generateSigningKeys();
const signingKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const template = 'documents.document-revoked';

describeOnDatabases('revocation notice to the holder', (database) => {
  let app: FastifyInstance;
  let supervisor: TestCaller;
  let agencyId = '';

  const draft = (holderAccountId: string): DocumentDraft => ({
    sourceKey: `applications:${uuidv7()}`, serviceId: uuidv7(), agencyId, holderAccountId,
    holderName: 'Wanjiku Achieng Kamau', template: 'permit', facts: [],
    issuedAt: new Date('2026-12-03T08:00:00Z'), expiresAt: null,
    serviceName: { en: 'Single Business Permit', sw: 'Kibali cha Biashara' },
    agencyName: { en: 'Nairobi City County', sw: 'Kaunti ya Jiji la Nairobi' },
  });
  const issue = (holderAccountId: string): Promise<IssuedDocument> =>
    database().db.transaction().execute((trx) =>
      issueDocumentInTrx(trx, keys, draft(holderAccountId)));
  const revoke = (id: string) => app.inject({
    method: 'POST', url: documentsPaths.revoke(id),
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded',
      ...supervisor.headers },
    payload: new URLSearchParams({ reason: 'Issued in error', _csrf: supervisor.csrfToken })
      .toString(),
  });
  const messagesTo = async (accountId: string) => (await sql<{ channel: string;
    recipient: string; language: string; body: string }>`select channel, recipient, language,
    body from notification where account_id = ${accountId} and template = ${template}`
    .execute(database().db)).rows;

  before(async () => {
    app = await buildTestApp(database(), {
      config: loadConfig({ HUDUMA_ENV: 'test', HUDUMA_SIGNING_KEY: signingKey }),
    });
    agencyId = await createTestAgency(database(), 'Nairobi City County');
    supervisor = await signInAs(database(), 'agency-supervisor', { agencyId });
  });
  after(async () => app.close());

  it('queues one SMS to an English-speaking holder, once however often revoke is pressed',
    async () => {
      const holder = await signInAs(database(), 'account-holder');
      const document = await issue(holder.id);
      assert.equal((await revoke(document.id)).statusCode, 303);
      assert.equal((await revoke(document.id)).statusCode, 409);
      const messages = await messagesTo(holder.id);
      assert.equal(messages.length, 1);
      assert.equal(messages[0]?.channel, 'sms');
      assert.equal(messages[0]?.recipient, '+254700000000');
      assert.equal(messages[0]?.language, 'en');
      assert.ok(messages[0]?.body.includes(document.number));
      assert.match(messages[0]?.body ?? '', /Single Business Permit\) was revoked/);
    });

  it('writes to a Swahili-speaking holder in Swahili', async () => {
    const holder = await signInAs(database(), 'account-holder');
    await sql`update account set language = 'sw' where id = ${holder.id}`.execute(database().db);
    const document = await issue(holder.id);
    assert.equal((await revoke(document.id)).statusCode, 303);
    const messages = await messagesTo(holder.id);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.language, 'sw');
    assert.match(messages[0]?.body ?? '', /Kibali cha Biashara\) imebatilishwa/);
  });

  it('revokes a document whose holder has no contact, telling nobody', async () => {
    const nobody = uuidv7();
    const document = await issue(nobody);
    assert.equal((await revoke(document.id)).statusCode, 303);
    assert.deepEqual(await messagesTo(nobody), []);
  });
});
