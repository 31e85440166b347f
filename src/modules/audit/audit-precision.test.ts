/**
 * The audit hash covers the stored time to the microsecond (hash version 2), while records
 * written under version 1 (the time to the millisecond) keep verifying under their own rule.
 */
import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { describeOnDatabases, switchTriggersOffInTrx } from '#test/helpers/databases.ts';
import { auditRecordFor, genesisHash, hashAuditRecord } from './audit-chain.ts';
import type { AuditTables } from './audit-tables.ts';
import { recordAuditInTrx, verifyAuditChain, type AuditEvent } from './index.ts';

const at = new Date('2026-12-03T08:00:00.123Z');

function signIn(accountId: string): AuditEvent {
  return {
    action: 'ACCOUNT_SIGNED_IN',
    actor: { kind: 'account', id: accountId },
    subject: { type: 'account', id: accountId },
    detail: { method: 'otp' },
  };
}

describeOnDatabases('audit log: hash versions and time precision', (database) => {
  const append = (event: AuditEvent) =>
    database().db.transaction().execute((trx) => recordAuditInTrx(trx, event, at));
  const tamper = (statement: RawBuilder<unknown>) =>
    database().db.transaction().execute(async (trx) => {
      await switchTriggersOffInTrx(trx);
      await statement.execute(trx);
    });
  beforeEach(async () => {
    await tamper(sql`delete from audit_record`);
    await sql`update audit_chain_head set sequence = 0, hash = repeat('0', 64)`
      .execute(database().db);
  });

  /** Writes records as the code before hash version 2 did (version 1, the default). */
  const appendVersionOne = async (count: number) => {
    const audit = database().db.withTables<AuditTables>();
    let previousHash = genesisHash;
    for (let sequence = 1n; sequence <= BigInt(count); sequence += 1n) {
      const record = { ...auditRecordFor(signIn(`old-${sequence}`), at, sequence, previousHash),
        hashVersion: 1 as const };
      const hash = hashAuditRecord(record);
      await audit.insertInto('audit_record').values({
        sequence, occurred_at: at, action: record.action, actor_kind: 'account',
        actor_id: record.actor.id, actor_role: null, on_behalf_of_kind: null,
        on_behalf_of_id: null, subject_type: 'account', subject_id: record.subject.id,
        agency_id: null, personal_data_read: false, detail: JSON.stringify(record.detail),
        source_address: null, previous_hash: previousHash, hash,
      } as never).execute();
      previousHash = hash;
    }
    await audit.updateTable('audit_chain_head')
      .set({ sequence: BigInt(count), hash: previousHash }).execute();
  };

  it('writes version 2 and reports a change of the time by one microsecond', async () => {
    await append(signIn('a'));
    await append(signIn('b'));
    const versions = await sql<{ hash_version: number }>`select hash_version from audit_record
      order by sequence`.execute(database().db);
    assert.deepEqual(versions.rows.map((row) => Number(row.hash_version)), [2, 2]);
    assert.equal((await verifyAuditChain(database().db)).ok, true);
    await tamper(sql`update audit_record set occurred_at = occurred_at + interval '1 microsecond'
      where sequence = 2`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 2n);
    assert.match(report.reason, /changed: record 2 does not match its hash/);
  });

  it('records written under version 1 still verify, followed by version 2 ones', async () => {
    await appendVersionOne(3);
    await append(signIn('new'));
    const report = await verifyAuditChain(database().db);
    assert.deepEqual(report.ok && report.rows, 4);
  });

  it('a version 2 record set back to version 1 is reported', async () => {
    await appendVersionOne(1);
    await append(signIn('new'));
    await append(signIn('newer'));
    await tamper(sql`update audit_record set hash_version = 1 where sequence = 3`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 3n);
    assert.match(report.reason, /downgraded: record 3 claims hash version 1/);
  });
});
