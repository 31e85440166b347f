import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql, type RawBuilder } from 'kysely';
import {
  actAsOwnerInTrx,
  describeOnDatabases,
  switchTriggersOffInTrx,
} from '#test/helpers/databases.ts';
import { auditRecordFor, genesisHash, isoMicros } from './audit-chain.ts';
import {
  hashAuditRecord,
  listAuditForSubject,
  recordAuditInTrx,
  verifyAuditChain,
  type AuditEvent,
} from './index.ts';

const at = new Date('2026-11-28T10:00:00.000Z');

function signIn(accountId: string, detail: AuditEvent['detail'] = {}): AuditEvent {
  return {
    action: 'ACCOUNT_SIGNED_IN',
    actor: { kind: 'account', id: accountId },
    subject: { type: 'account', id: accountId },
    detail,
    sourceAddress: '196.201.214.10',
  };
}

describeOnDatabases('audit log', (database) => {
  const append = (event: AuditEvent, occurredAt = at) =>
    database().db.transaction().execute((trx) => recordAuditInTrx(trx, event, occurredAt));

  /** Runs SQL with the append-only triggers off, as only an attacker with superuser could. */
  const tamper = (statement: RawBuilder<unknown>) =>
    database().db.transaction().execute(async (trx) => {
      await switchTriggersOffInTrx(trx);
      await statement.execute(trx);
    });

  /** Empties the log and its head, as on a fresh database. */
  const reset = async () => {
    await tamper(sql`delete from audit_record`);
    await sql`update audit_chain_head set sequence = 0, hash = repeat('0', 64)`
      .execute(database().db);
  };

  const appendMany = async (count: number) => {
    for (let index = 0; index < count; index += 1) {
      await append(signIn(`account-${index}`, { attempt: index, method: 'otp' }));
    }
  };

  beforeEach(reset);

  it('chains each record to the one before, from sequence 1, and verifies', async () => {
    const first = await append(signIn('a'));
    const second = await append({
      action: 'ROLE_GRANTED',
      actor: { kind: 'staff', id: 's-1', role: 'agency-admin' },
      subject: { type: 'staff', id: 's-2' },
      agencyId: 'agency-1',
      detail: { role: 'cashier', reason: null, expires: false },
    });
    assert.equal(first.sequence, 1n);
    assert.equal(second.sequence, 2n);
    assert.match(first.hash, /^[0-9a-f]{64}$/);
    const report = await verifyAuditChain(database().db);
    assert.deepEqual(report, { ok: true, rows: 2, lastHash: second.hash });
  });

  it('is refused an UPDATE, a DELETE and a TRUNCATE: the app by its role, anyone by triggers',
    async () => {
      await appendMany(2);
      const db = database().db;
      const changes = [
        { statement: sql`update audit_record set action = 'X' where sequence = 1`, op: 'UPDATE' },
        { statement: sql`delete from audit_record where sequence = 2`, op: 'DELETE' },
        { statement: sql`truncate audit_record`, op: 'TRUNCATE' },
      ];
      for (const { statement, op } of changes) {
        await assert.rejects(statement.execute(db), /permission denied for table audit_record/);
        await assert.rejects(db.transaction().execute(async (trx) => {
          await actAsOwnerInTrx(trx);
          await statement.execute(trx);
        }), new RegExp(`append-only: ${op} is refused`));
      }
      // Owning nothing, the app role cannot switch the triggers off or drop them.
      await assert.rejects(sql`alter table audit_record disable trigger user`.execute(db),
        /must be owner of table audit_record/);
      await assert.rejects(
        sql`drop trigger audit_record_refuse_update_delete on audit_record`.execute(db),
        /must be owner of (table|relation) audit_record/);
      await assert.rejects(sql`delete from audit_chain_head`.execute(db),
        /permission denied for table audit_chain_head/);
      assert.equal((await verifyAuditChain(db)).rows, 2);
    });

  it('reports exactly the record whose field was changed', async () => {
    await appendMany(5);
    await tamper(sql`update audit_record set detail = '{"attempt": 99, "method": "otp"}'
      where sequence = 3`);
    const report = await verifyAuditChain(database().db);
    assert.equal(report.ok, false);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 3n);
    assert.equal(report.rows, 2);
    assert.match(report.reason, /changed: record 3 does not match its hash/);
  });

  it('reports a record changed even in a field that looks harmless (the time)', async () => {
    await appendMany(3);
    await tamper(sql`update audit_record set occurred_at = occurred_at + interval '1 ms'
      where sequence = 1`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 1n);
  });

  it('reports the newest records removed: the chain ends before its head', async () => {
    await appendMany(5);
    await tamper(sql`delete from audit_record where sequence >= 4`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.rows, 3);
    assert.equal(report.firstBadSequence, 4n);
    assert.match(report.reason, /truncated: the chain ends at record 3, its head says 5/);
    await assert.rejects(database().db.transaction().execute(async (trx) => {
      await actAsOwnerInTrx(trx);
      await sql`delete from audit_chain_head`.execute(trx);
    }), /audit_chain_head keeps its one row/);
  });

  it('reports a deleted record as a gap at its sequence', async () => {
    await appendMany(5);
    await tamper(sql`delete from audit_record where sequence = 4`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 4n);
    assert.match(report.reason, /gap: record 4 is missing/);
  });

  it('reports swapped hashes at the first record that moved', async () => {
    await appendMany(5);
    // Through a placeholder, as the hash column is unique; the next records' links still
    // hold the original hashes of records 2 and 3.
    await tamper(sql`
      update audit_record set hash = repeat('f', 64) where sequence = 2;
      update audit_record set hash = (select previous_hash from audit_record where sequence = 3)
        where sequence = 3;
      update audit_record set hash = (select previous_hash from audit_record where sequence = 4)
        where sequence = 2`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 2n);
  });

  it('reports reordered records at the first place that moved', async () => {
    await appendMany(5);
    await tamper(sql`
      update audit_record set sequence = 1000 where sequence = 2;
      update audit_record set sequence = 2 where sequence = 3;
      update audit_record set sequence = 3 where sequence = 1000`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 2n);
    assert.match(report.reason, /broken link: record 2 does not link to record 1/);
  });

  it('reports a changed and re-hashed record as a broken link at the next', async () => {
    await appendMany(4);
    // The attacker recomputes record 2's own hash; record 3 still points at the old one.
    const [original] = await listAuditForSubject(database().db,
      { type: 'account', id: 'account-1' }, { limit: 1 });
    assert.ok(original !== undefined);
    const forgedHash = hashAuditRecord({ ...original, detail: { attempt: 7, method: 'otp' } });
    await tamper(sql`update audit_record set detail = '{"attempt": 7, "method": "otp"}',
      hash = ${forgedHash} where sequence = 2`);
    const report = await verifyAuditChain(database().db);
    assert.ok(!report.ok);
    assert.equal(report.firstBadSequence, 3n);
    assert.match(report.reason, /broken link: record 3 does not link to record 2/);
  });

  it('appends from concurrent transactions in commit order without gaps', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) =>
      append(signIn(`concurrent-${index}`))));
    const sequences = results.map((result) => result.sequence).sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0);
    assert.deepEqual(sequences, Array.from({ length: 20 }, (_, index) => BigInt(index + 1)));
    assert.deepEqual((await verifyAuditChain(database().db)).ok, true);
  });

  it('rolls back with the caller: a failed change leaves no audit record', async () => {
    await assert.rejects(database().db.transaction().execute(async (trx) => {
      await recordAuditInTrx(trx, signIn('rolled-back'), at);
      throw new Error('the change failed');
    }), /the change failed/);
    const next = await append(signIn('kept'));
    assert.equal(next.sequence, 1n);
  });

  it('refuses to record outside a transaction, or a malformed event', async () => {
    await assert.rejects(recordAuditInTrx(database().db, signIn('x'), at), /transaction/);
    await assert.rejects(append({ ...signIn('x'), action: 'signed in' }), /UPPER_SNAKE/);
    await assert.rejects(append({ ...signIn('x'), detail: { note: 'a\u0000b' } }), /storable/);
  });

  it('lists a subject\'s records newest first, and who read their personal data', async () => {
    await append(signIn('citizen-1'));
    await append({
      action: 'PERSONAL_DATA_VIEWED',
      actor: { kind: 'staff', id: 'officer-9', role: 'officer' },
      subject: { type: 'account', id: 'citizen-1' },
      agencyId: 'agency-1',
      personalDataRead: true,
      detail: { page: 'application' },
    });
    await append(signIn('citizen-2'));
    const all = await listAuditForSubject(database().db,
      { type: 'account', id: 'citizen-1' }, { limit: 10 });
    assert.deepEqual(all.map((record) => record.action),
      ['PERSONAL_DATA_VIEWED', 'ACCOUNT_SIGNED_IN']);
    const reads = await listAuditForSubject(database().db,
      { type: 'account', id: 'citizen-1' }, { limit: 10, personalDataReadsOnly: true });
    assert.equal(reads.length, 1);
    assert.deepEqual(reads[0]?.actor, { kind: 'staff', id: 'officer-9', role: 'officer' });
    assert.equal(reads[0]?.agencyId, 'agency-1');
    assert.equal(reads[0]?.sourceAddress, null);
  });

  it('reports progress while verifying', async () => {
    await appendMany(3);
    const calls: [number, number][] = [];
    await verifyAuditChain(database().db, (done, total) => calls.push([done, total]));
    assert.deepEqual(calls.at(-1), [3, 3]);
  });

  it('verifies after any sequence of appends (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(auditEventArbitrary, { maxLength: 6 }),
      async (events) => {
        await reset();
        for (const [index, event] of events.entries()) {
          await append(event, new Date(at.getTime() + index * 1_234));
        }
        const report = await verifyAuditChain(database().db);
        assert.deepEqual(report.ok ? report.rows : report.reason, events.length);
      }), { numRuns: 25 });
  });
});

const storableText = fc.string({ maxLength: 40, unit: 'grapheme' })
  .filter((text) => !text.includes('\u0000'));
const idText = fc.option(storableText, { nil: null });
const detailValue = fc.oneof(
  storableText,
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const auditEventArbitrary: fc.Arbitrary<AuditEvent> = fc.record({
  action: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,30}$/),
  actor: fc.record({
    kind: fc.constantFrom('account', 'staff', 'system', 'api-client'),
    id: idText,
    role: fc.option(storableText, { nil: undefined }),
  }, { requiredKeys: ['kind', 'id'] }),
  onBehalfOf: fc.option(fc.record({
    kind: fc.constantFrom('account', 'business'),
    id: storableText,
  }), { nil: null }),
  subject: fc.record({ type: storableText.filter((text) => text !== ''), id: idText }),
  agencyId: idText,
  personalDataRead: fc.boolean(),
  detail: fc.dictionary(storableText, detailValue, { maxKeys: 6 }),
  sourceAddress: idText,
});

type UnhashedRecord = ReturnType<typeof auditRecordFor>;

/** Ways to change one field of a stored record, as a tamperer would. */
const tamperings: readonly ((record: UnhashedRecord) => UnhashedRecord)[] = [
  (record) => ({ ...record, sequence: record.sequence + 1n }),
  (record) => {
    const occurredAt = new Date(record.occurredAt.getTime() + 1);
    return { ...record, occurredAt, occurredAtMicros: isoMicros(occurredAt) };
  },
  // Below a millisecond: only the stored time (to the microsecond) shows it.
  (record) => ({ ...record, occurredAtMicros: record.occurredAtMicros.replace(/0Z$/, '1Z') }),
  (record) => ({ ...record, hashVersion: 1 }),
  (record) => ({ ...record, action: `${record.action}X` }),
  (record) => ({ ...record, actor: { ...record.actor, id: `${record.actor.id ?? ''}x` } }),
  (record) => ({ ...record, actor: { ...record.actor, role: `${record.actor.role ?? ''}x` } }),
  (record) => ({ ...record, onBehalfOf: record.onBehalfOf === null
    ? { kind: 'business', id: 'b' } : null }),
  (record) => ({ ...record, subject: { ...record.subject, type: `${record.subject.type}x` } }),
  (record) => ({ ...record, agencyId: `${record.agencyId ?? ''}x` }),
  (record) => ({ ...record, personalDataRead: !record.personalDataRead }),
  (record) => ({ ...record, detail: { ...record.detail, added: 1 } }),
  (record) => ({ ...record, sourceAddress: `${record.sourceAddress ?? ''}x` }),
  (record) => ({ ...record, previousHash: 'f'.repeat(64) }),
];

describe('audit chain rules', () => {
  it('changing any one field of any record changes its hash (property)', () => {
    fc.assert(fc.property(auditEventArbitrary, fc.nat(tamperings.length - 1), (event, index) => {
      const record = auditRecordFor(event, at, 5n, genesisHash);
      const tampering = tamperings[index];
      assert.ok(tampering !== undefined);
      assert.notEqual(hashAuditRecord(tampering(record)), hashAuditRecord(record));
    }), { numRuns: 500 });
  });

  it('hashes the same facts the same, whatever order the detail keys came in', () => {
    fc.assert(fc.property(auditEventArbitrary, (event) => {
      const reversed = Object.fromEntries(Object.entries(event.detail ?? {}).reverse());
      assert.equal(
        hashAuditRecord(auditRecordFor({ ...event, detail: reversed }, at, 1n, genesisHash)),
        hashAuditRecord(auditRecordFor(event, at, 1n, genesisHash)),
      );
    }), { numRuns: 200 });
  });
});
