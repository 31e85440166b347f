/**
 * The audit log's SQL. Appends run in the caller's transaction, holding the lock on the chain's
 * head row (audit_chain_head) to commit, so the chain order is the commit order and two
 * appends never take the same place.
 */
import assert from 'node:assert/strict';
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  auditRecordFor,
  checkAuditLink,
  genesisHash,
  hashAuditRecord,
  type AuditDetail,
  type AuditEvent,
  type AuditHashVersion,
  type AuditRecord,
} from './audit-chain.ts';
import {
  withAuditTables,
  type AnyKysely,
  type AuditRecordTable,
  type AuditTables,
} from './audit-tables.ts';

const listLimitMax = 1_000;

/** The stored time to the microsecond, in the form hash version 2 covers (isoMicros). */
export const occurredAtMicros = sql<string>`to_char(occurred_at at time zone 'UTC',
  'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('occurred_at_micros');
const verifyPageSize = 1_000;

/**
 * Appends an event to the chain in the caller's transaction (READ COMMITTED, the default).
 * The lock is held until the caller commits, so write the audit record late in the
 * transaction: other audited transactions wait for it.
 */
export async function recordAuditInTrx(
  trx: AnyKysely,
  event: AuditEvent,
  occurredAt: Date,
): Promise<{ sequence: bigint; hash: string }> {
  const [appended] = await recordAuditsInTrx(trx, [event], occurredAt);
  assert.ok(appended !== undefined);
  return appended;
}

/**
 * Appends several events, in order, in two statements whatever their number: lock and read
 * the chain's head, then insert the records and move the head. For busy paths that audit a
 * batch in one transaction.
 */
export async function recordAuditsInTrx(
  trx: AnyKysely,
  events: readonly AuditEvent[],
  occurredAt: Date,
): Promise<{ sequence: bigint; hash: string }[]> {
  assert.ok(trx.isTransaction, 'recordAuditInTrx must run in the caller\'s transaction');
  if (events.length === 0) return [];
  const audit = withAuditTables(trx);
  // FOR UPDATE waits for another appender's commit, then returns the head as it left it.
  const last = await audit.selectFrom('audit_chain_head').select(['sequence', 'hash'])
    .forUpdate().executeTakeFirstOrThrow();
  let { sequence, hash: previousHash } = last;
  const rows = events.map((event) => {
    sequence += 1n;
    const record = auditRecordFor(event, occurredAt, sequence, previousHash);
    const hash = hashAuditRecord(record);
    previousHash = hash;
    return {
      hash_version: record.hashVersion,
      sequence: record.sequence,
      occurred_at: record.occurredAt,
      action: record.action,
      actor_kind: record.actor.kind,
      actor_id: record.actor.id,
      actor_role: record.actor.role,
      on_behalf_of_kind: record.onBehalfOf?.kind ?? null,
      on_behalf_of_id: record.onBehalfOf?.id ?? null,
      subject_type: record.subject.type,
      subject_id: record.subject.id,
      agency_id: record.agencyId,
      personal_data_read: record.personalDataRead,
      detail: JSON.stringify(record.detail),
      source_address: record.sourceAddress,
      previous_hash: record.previousHash,
      hash,
    };
  });
  await audit.with('appended', (db) => db.insertInto('audit_record').values(rows))
    .updateTable('audit_chain_head').set({ sequence, hash: previousHash }).execute();
  return rows.map((row) => ({ sequence: row.sequence, hash: row.hash }));
}

/** The newest records about one subject (e.g. an account's sign-ins, or who read its data). */
export async function listAuditForSubject(
  db: AnyKysely,
  subject: Readonly<{ type: string; id: string }>,
  options: Readonly<{ limit: number; personalDataReadsOnly?: boolean }>,
): Promise<AuditRecord[]> {
  assert.ok(options.limit >= 1 && options.limit <= listLimitMax, 'audit list limit 1..1000');
  let query = withAuditTables(db).selectFrom('audit_record').selectAll().select(occurredAtMicros)
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id);
  if (options.personalDataReadsOnly === true) {
    query = query.where('personal_data_read', '=', true);
  }
  const rows = await query.orderBy('sequence', 'desc').limit(options.limit).execute();
  return rows.map(toAuditRecord);
}

/** Records from `afterSequence` (exclusive), oldest first: for auditors' exports and pages. */
export async function listAuditRecords(
  db: AnyKysely,
  options: Readonly<{ afterSequence?: bigint; limit: number; agencyId?: string }>,
): Promise<AuditRecord[]> {
  assert.ok(options.limit >= 1 && options.limit <= listLimitMax, 'audit list limit 1..1000');
  let query = withAuditTables(db).selectFrom('audit_record').selectAll().select(occurredAtMicros)
    .where('sequence', '>', options.afterSequence ?? 0n);
  if (options.agencyId !== undefined) query = query.where('agency_id', '=', options.agencyId);
  const rows = await query.orderBy('sequence').limit(options.limit).execute();
  return rows.map(toAuditRecord);
}

export type AuditChainReport =
  | Readonly<{ ok: true; rows: number; lastHash: string }>
  | Readonly<{ ok: false; rows: number; firstBadSequence: bigint; reason: string } &
    AuditHashMismatch>;

/** Where a broken link was found: the hash the chain expected there and the one stored. */
export type AuditHashMismatch = Readonly<{ expectedHash?: string; foundHash?: string }>;

/** Where a walk of the chain stands: the last sound record (sequence 0: none yet). */
export type AuditChainPosition = Readonly<{
  sequence: bigint;
  hash: string;
  hashVersion: AuditHashVersion;
}>;

export const auditChainStart: AuditChainPosition = {
  sequence: 0n, hash: genesisHash, hashVersion: 1,
};

/** A part of the walk: the chain checked from a position for at most `limit` records. */
export type AuditChainSegmentReport =
  | AuditChainReport
  | Readonly<{ ok: 'so-far'; rows: number; position: AuditChainPosition }>;

/**
 * Walks the whole chain in sequence order and reports the first record that is missing,
 * changed or out of place. `rows` counts the records found sound before it. The chain cannot
 * by itself show that its newest records were removed: publish `lastHash` to anchor it.
 */
export async function verifyAuditChain(
  db: AnyKysely,
  onProgress?: (done: number, total: number) => void,
): Promise<AuditChainReport> {
  const { total } = await withAuditTables(db).selectFrom('audit_record')
    .select(sql<bigint>`count(*)`.as('total')).executeTakeFirstOrThrow();
  let position = auditChainStart;
  let checked = 0;
  for (;;) {
    const part = await verifyAuditChainSegment(db, position, verifyPageSize);
    checked += part.rows;
    onProgress?.(checked, Math.max(checked, Number(total)));
    if (part.ok !== 'so-far') return { ...part, rows: checked };
    position = part.position;
  }
}

/**
 * Checks at most `limit` records after `from` (a position an earlier segment reached, or
 * auditChainStart), a page of 1,000 at a time, so a long chain can be checked in bounded
 * steps (the auditor's page). Reaching the end, it also checks the chain's head row.
 */
export async function verifyAuditChainSegment(
  db: AnyKysely,
  from: AuditChainPosition,
  limit: number,
): Promise<AuditChainSegmentReport> {
  assert.ok(limit >= 1, 'audit verify limit at least 1');
  const audit = withAuditTables(db);
  let checked = 0;
  let { sequence: lastSequence, hash: previousHash, hashVersion: previousVersion } = from;
  while (checked < limit) {
    const wanted = Math.min(verifyPageSize, limit - checked);
    const rows = await audit.selectFrom('audit_record').selectAll().select(occurredAtMicros)
      .where('sequence', '>', lastSequence).orderBy('sequence').limit(wanted).execute();
    for (const row of rows) {
      const record = toAuditRecord(row);
      const fault = checkAuditLink(record, lastSequence + 1n, previousHash, previousVersion);
      if (fault !== undefined) {
        return { ok: false, rows: checked, firstBadSequence: fault.sequence,
          reason: fault.reason, ...mismatchOf(fault.reason, record, previousHash) };
      }
      checked += 1;
      lastSequence = record.sequence;
      previousHash = record.hash;
      previousVersion = record.hashVersion;
    }
    if (rows.length < wanted) {
      return checkHead(audit, checked, lastSequence, previousHash);
    }
  }
  return { ok: 'so-far', rows: checked,
    position: { sequence: lastSequence, hash: previousHash, hashVersion: previousVersion } };
}

/** The hashes that disagree, for a broken link or a changed record. */
function mismatchOf(reason: string, record: AuditRecord, previousHash: string):
  AuditHashMismatch {
  if (reason.startsWith('broken link')) {
    return { expectedHash: previousHash, foundHash: record.previousHash };
  }
  if (reason.startsWith('changed')) {
    return { expectedHash: hashAuditRecord(record), foundHash: record.hash };
  }
  return {};
}

/** The chain must end where its head row says: else its newest records were removed. */
async function checkHead(
  audit: Kysely<AuditTables>,
  rows: number,
  lastSequence: bigint,
  lastHash: string,
): Promise<AuditChainReport> {
  const head = await audit.selectFrom('audit_chain_head').select(['sequence', 'hash'])
    .executeTakeFirst();
  if (head !== undefined && (head.sequence !== lastSequence || head.hash !== lastHash)) {
    return { ok: false, rows, firstBadSequence: lastSequence + 1n,
      reason: `truncated: the chain ends at record ${lastSequence}, its head says ` +
        `${head.sequence}` };
  }
  return { ok: true, rows, lastHash };
}

export function toAuditRecord(
  row: Selectable<AuditRecordTable> & Readonly<{ occurred_at_micros: string }>,
): AuditRecord {
  return {
    hashVersion: row.hash_version === 1 ? 1 : 2,
    sequence: row.sequence,
    occurredAt: row.occurred_at,
    occurredAtMicros: row.occurred_at_micros,
    action: row.action,
    actor: { kind: row.actor_kind, id: row.actor_id, role: row.actor_role },
    onBehalfOf: row.on_behalf_of_kind === null || row.on_behalf_of_id === null
      ? null
      : { kind: row.on_behalf_of_kind, id: row.on_behalf_of_id },
    subject: { type: row.subject_type, id: row.subject_id },
    agencyId: row.agency_id,
    personalDataRead: row.personal_data_read,
    detail: (row.detail ?? {}) as AuditDetail,
    sourceAddress: row.source_address,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}
