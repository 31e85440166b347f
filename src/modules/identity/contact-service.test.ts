/**
 * Whom to tell about an account's own affairs: the account's chosen channel, else its other
 * contact, else its first representative's; nothing for an id that is not an account.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { findAccountContactsInTrx } from './contact-service.ts';
import type { IdentityTables } from './identity-tables.ts';

let documents = 0;

describeOnDatabases('account contacts', (database) => {
  const db = () => database().db.withTables<IdentityTables>();

  async function account(fields: Readonly<{ phone?: string; email?: string;
    codeChannel?: 'sms' | 'email'; language?: 'en' | 'sw'; child?: boolean }>) {
    const id = uuidv7();
    documents += 1;
    const now = new Date();
    await db().insertInto('account').values({
      id, kind: 'citizen',
      document_type: fields.child === true ? 'birth_certificate' : 'national_id',
      document_number: `6${String(process.pid).slice(-3)}${String(documents).padStart(5, '0')}`,
      first_name: 'Wanjiru', middle_name: null, last_name: 'Kamau', birth_date: '1985-05-06',
      business_name: null, password_hash: null, phone: fields.phone ?? null,
      email: fields.email ?? null, code_channel: fields.codeChannel ?? 'sms',
      language: fields.language ?? 'en', created_at: now, updated_at: now,
    }).execute();
    return id;
  }

  it('gives the chosen channel, else the other contact, else nothing', async () => {
    const bySms = await account({ phone: '+254711000001', email: 'a@example.ke' });
    const byEmail = await account({ phone: '+254711000002', email: 'b@example.ke',
      codeChannel: 'email', language: 'sw' });
    const emailOnly = await account({ email: 'c@example.ke' });
    const none = await account({});
    const contacts = await findAccountContactsInTrx(database().db,
      [bySms, byEmail, emailOnly, none, uuidv7(), 'not-a-uuid']);
    assert.deepEqual(contacts.get(bySms), { channel: 'sms', to: '+254711000001', language: 'en' });
    assert.deepEqual(contacts.get(byEmail),
      { channel: 'email', to: 'b@example.ke', language: 'sw' });
    assert.deepEqual(contacts.get(emailOnly),
      { channel: 'email', to: 'c@example.ke', language: 'en' });
    assert.equal(contacts.size, 3);
  });

  it('tells a child through the first representative with a contact', async () => {
    const child = await account({ child: true });
    const silentParent = await account({});
    const parent = await account({ phone: '+254711000009', language: 'sw' });
    const link = (representative: string, at: Date) => db().insertInto('account_representative')
      .values({ represented_account_id: child, representative_account_id: representative,
        relationship: 'guardian', confirmed_at: at }).execute();
    await link(silentParent, new Date(Date.now() - 60_000));
    await link(parent, new Date());
    const contacts = await findAccountContactsInTrx(database().db, [child]);
    assert.deepEqual(contacts.get(child), { channel: 'sms', to: '+254711000009', language: 'sw' });
  });
});
