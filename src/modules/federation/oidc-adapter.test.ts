/**
 * The provider's storage over each database: records expire (never returned after, purged by
 * the periodic job), are consumed, found by uid, deleted by grant; clients come from the
 * client table, a revoked one is not found, and revoking deletes the client's records.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { manualClock } from '#platform/clock/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { registerTestClient } from '#test/helpers/federation.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import { revokeClient } from './client-service.ts';
import { adapterFor, purgeExpiredRecords } from './oidc-adapter.ts';
import { presentedSecrets, unpresentableSecret } from './presented-secret.ts';
import { federationModule } from './index.ts';

describeOnDatabases('Sign in with Huduma storage', (database) => {
  const clock = manualClock(new Date('2026-12-04T08:00:00Z'));
  const adapter = (model: string) => new (adapterFor({ db: database().db, clock }))(model);

  it('keeps a record until it expires, then purges it', async () => {
    const sessions = adapter('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 60);
    await sessions.upsert('s2', { uid: 'u2', accountId: 'b' }, 0);
    assert.deepEqual(await sessions.find('s1'), { uid: 'u1', accountId: 'a' });
    assert.deepEqual(await sessions.findByUid('u1'), { uid: 'u1', accountId: 'a' });
    await sessions.upsert('s1', { uid: 'u1', accountId: 'c' }, 60);
    assert.equal((await sessions.find('s1'))?.accountId, 'c', 'upsert replaces');
    clock.advanceMs(61_000);
    assert.equal(await sessions.find('s1'), undefined, 'expired');
    assert.equal(await sessions.findByUid('u1'), undefined);
    assert.equal(await purgeExpiredRecords({ db: database().db }, clock.now()), 1);
    assert.deepEqual(await sessions.find('s2'), { uid: 'u2', accountId: 'b' }, 'no expiry');
    await sessions.destroy('s2');
    assert.equal(await sessions.find('s2'), undefined);
    assert.equal(await sessions.findByUserCode('x'), undefined);
  });

  it('marks a record consumed and deletes a grant\'s records, model by model', async () => {
    const codes = adapter('AuthorizationCode');
    const tokens = adapter('AccessToken');
    await codes.upsert('c1', { grantId: 'g1', clientId: 'x' }, 60);
    await tokens.upsert('t1', { grantId: 'g1', clientId: 'x' }, 60);
    await tokens.upsert('t2', { grantId: 'g2', clientId: 'x' }, 60);
    await codes.consume('c1');
    assert.equal((await codes.find('c1'))?.consumed,
      Math.floor(clock.now().getTime() / 1000));
    await tokens.revokeByGrantId('g1');
    assert.equal(await tokens.find('t1'), undefined);
    assert.ok(await tokens.find('t2') !== undefined, 'another grant\'s token stays');
    assert.ok(await codes.find('c1') !== undefined, 'another model\'s record stays');
    await codes.revokeByGrantId('g1');
    assert.equal(await codes.find('c1'), undefined);
  });

  it('reads clients from the client table; a revoked client is gone with its records',
    async () => {
      const agencyId = await createTestAgency(database(), 'Storage Agency');
      const client = await registerTestClient(database(), { agencyId,
        redirectUris: ['https://portal.example/cb'], scopes: ['openid', 'offline_access'] });
      const clients = adapter('Client');
      const metadata = await clients.find(client.clientId);
      assert.notEqual(metadata?.client_secret, client.secret, 'no secret was presented');
      const presented = await presentedSecrets.run({ clientId: client.clientId,
        secret: client.secret }, () => clients.find(client.clientId));
      assert.equal(presented?.client_secret, client.secret, 'the presented secret matches');
      const wrong = await presentedSecrets.run({ clientId: client.clientId,
        secret: `${client.secret}x` }, () => clients.find(client.clientId));
      assert.equal(wrong?.client_secret, unpresentableSecret);
      assert.deepEqual(metadata?.grant_types, ['authorization_code', 'refresh_token']);
      await assert.rejects(clients.upsert('x', {}, 1));
      assert.equal(await clients.findByUid('x'), undefined);
      assert.equal(await clients.findByUserCode('x'), undefined);
      await clients.consume('x');
      await clients.destroy('x');
      await clients.revokeByGrantId('x');
      const tokens = adapter('RefreshToken');
      await tokens.upsert('r1', { grantId: 'g9', clientId: client.clientId }, 600);
      const revoked = await revokeClient({ db: database().db }, client.clientId,
        { kind: 'system', id: null }, clock.now());
      assert.ok(revoked.ok);
      assert.equal(await clients.find(client.clientId), undefined);
      assert.equal(await tokens.find('r1'), undefined, 'its tokens went with it');
    });

  it('purges through the module\'s periodic job', async () => {
    const records = adapter('Interaction');
    await records.upsert('i1', { uid: 'i1' }, 1);
    clock.advanceMs(2_000);
    const jobs = federationModule.periodicJobs?.({ db: database().db, clock } as never) ?? [];
    assert.equal(jobs.length, 1);
    await jobs[0]?.run();
    assert.equal(await purgeExpiredRecords({ db: database().db }, clock.now()), 0);
  });
});
