/**
 * The hash chain, pure: how an audit record is serialised and hashed, and how a stored record
 * is checked against the one before it. No I/O here, so the rules are easy to test and to
 * re-implement by an auditor with nothing but sha256 and JSON.
 *
 * hash = sha256_hex(previous_hash + canonical), where canonical (hash version 2) is the JSON
 * array ["v2", sequence, occurredAt (ISO 8601 UTC to the microsecond, as stored:
 *  2026-12-03T08:00:00.123000Z), action, actorKind, actorId, actorRole, onBehalfOfKind,
 *  onBehalfOfId, subjectType, subjectId, agencyId, personalDataRead, detail as [key, value]
 *  pairs sorted by key, sourceAddress], with sequence as a decimal string and absent as null.
 * Version 1 (records written before migration 202612031300) is the same array without "v2"
 * and with the time to the millisecond: it missed a change of the stored time below a
 * millisecond. Each record keeps its version; old records verify under their own rule.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

export type AuditActor = Readonly<{
  kind: 'account' | 'staff' | 'system' | 'api-client';
  id: string | null;
  role?: string;
}>;

export type AuditDetailValue = string | number | boolean | null;
export type AuditDetail = Readonly<Record<string, AuditDetailValue>>;

export type AuditEvent = Readonly<{
  /** Past tense, UPPER_SNAKE: 'ACCOUNT_SIGNED_IN', 'SIGN_IN_FAILED'. */
  action: string;
  actor: AuditActor;
  /** Acting for a child or a business. */
  onBehalfOf?: Readonly<{ kind: 'account' | 'business'; id: string }> | null;
  subject: Readonly<{ type: string; id: string | null }>;
  /** For agency-scoped events. */
  agencyId?: string | null;
  /** A privileged read of someone's personal data ("who looked at my data"). */
  personalDataRead?: boolean;
  /** Facts about the event; NEVER personal data. */
  detail?: AuditDetail;
  /** Client address: stored, never logged. */
  sourceAddress?: string | null;
}>;

/** A stored record: the event, normalised, with its place and hashes in the chain. */
export type AuditHashVersion = 1 | 2;

/** The version new records are hashed under. */
export const auditHashVersionCurrent: AuditHashVersion = 2;

export type AuditRecord = Readonly<{
  hashVersion: AuditHashVersion;
  sequence: bigint;
  occurredAt: Date;
  /** The time as stored, ISO 8601 UTC to the microsecond (what version 2 hashes). */
  occurredAtMicros: string;
  action: string;
  actor: Readonly<{ kind: AuditActor['kind']; id: string | null; role: string | null }>;
  onBehalfOf: Readonly<{ kind: 'account' | 'business'; id: string }> | null;
  subject: Readonly<{ type: string; id: string | null }>;
  agencyId: string | null;
  personalDataRead: boolean;
  detail: AuditDetail;
  sourceAddress: string | null;
  previousHash: string;
  hash: string;
}>;

export type UnhashedAuditRecord = Omit<AuditRecord, 'hash'>;

/** The previous hash of the first record. */
export const genesisHash = '0'.repeat(64);

const actionPattern = /^[A-Z][A-Z0-9_]*$/;
const detailEntriesMax = 32;
const textLengthMax = 1_000;

/** The record an event becomes at a given place in the chain (hash not yet computed). */
export function auditRecordFor(
  event: AuditEvent,
  occurredAt: Date,
  sequence: bigint,
  previousHash: string,
): UnhashedAuditRecord {
  assertAuditEvent(event, occurredAt);
  return {
    hashVersion: auditHashVersionCurrent,
    sequence,
    occurredAt,
    occurredAtMicros: isoMicros(occurredAt),
    action: event.action,
    actor: { kind: event.actor.kind, id: event.actor.id, role: event.actor.role ?? null },
    onBehalfOf: event.onBehalfOf ?? null,
    subject: { type: event.subject.type, id: event.subject.id },
    agencyId: event.agencyId ?? null,
    personalDataRead: event.personalDataRead ?? false,
    detail: sortedDetail(event.detail ?? {}),
    sourceAddress: event.sourceAddress ?? null,
    previousHash,
  };
}

/** A Date (millisecond precision) as PostgreSQL's timestamptz shows it to the microsecond. */
export function isoMicros(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

export function canonicalAuditRecord(record: UnhashedAuditRecord): string {
  const version = record.hashVersion === 1 ? [] : [`v${record.hashVersion}`];
  return JSON.stringify([
    ...version,
    record.sequence.toString(),
    record.hashVersion === 1 ? record.occurredAt.toISOString() : record.occurredAtMicros,
    record.action,
    record.actor.kind,
    record.actor.id,
    record.actor.role,
    record.onBehalfOf?.kind ?? null,
    record.onBehalfOf?.id ?? null,
    record.subject.type,
    record.subject.id,
    record.agencyId,
    record.personalDataRead,
    Object.entries(record.detail).sort(([a], [b]) => compareKeys(a, b)),
    record.sourceAddress,
  ]);
}

export function hashAuditRecord(record: UnhashedAuditRecord): string {
  return createHash('sha256')
    .update(record.previousHash)
    .update(canonicalAuditRecord(record))
    .digest('hex');
}

export type ChainFault = Readonly<{ sequence: bigint; reason: string }>;

/**
 * Checks one stored record against the chain so far: its place (no gap), its hash version
 * (never older than the record before's), its link to the record before, and its own hash.
 * Undefined when it is sound.
 */
export function checkAuditLink(
  record: AuditRecord,
  expectedSequence: bigint,
  previousHash: string,
  previousVersion: AuditHashVersion = 1,
): ChainFault | undefined {
  if (record.sequence !== expectedSequence) {
    return {
      sequence: expectedSequence,
      reason: `gap: record ${expectedSequence} is missing (the next record is ${record.sequence})`,
    };
  }
  if (record.hashVersion < previousVersion) {
    return {
      sequence: record.sequence,
      reason: `downgraded: record ${record.sequence} claims hash version ${record.hashVersion} ` +
        `after a record of version ${previousVersion}`,
    };
  }
  if (record.previousHash !== previousHash) {
    const before = expectedSequence - 1n;
    return {
      sequence: record.sequence,
      reason: `broken link: record ${record.sequence} does not link to record ${before} ` +
        `(record ${before} was changed and re-hashed, or records were reordered)`,
    };
  }
  if (hashAuditRecord(record) !== record.hash) {
    return {
      sequence: record.sequence,
      reason: `changed: record ${record.sequence} does not match its hash`,
    };
  }
  return undefined;
}

/** Sorted by key, so the stored jsonb and the hashed form agree whatever order keys came in. */
export function sortedDetail(detail: AuditDetail): AuditDetail {
  return Object.fromEntries(Object.entries(detail).sort(([a], [b]) => compareKeys(a, b)));
}

function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Bugs, not expected failures: a caller passing these has a defect. Text must survive the
 * database unchanged (no NUL, no lone surrogates) or the hash would not verify.
 */
function assertAuditEvent(event: AuditEvent, occurredAt: Date): void {
  assert.ok(Number.isFinite(occurredAt.getTime()), 'audit occurredAt must be a valid date');
  assert.match(event.action, actionPattern, 'audit action must be UPPER_SNAKE past tense');
  const texts = [
    event.action, event.actor.id, event.actor.role, event.onBehalfOf?.id, event.subject.type,
    event.subject.id, event.agencyId, event.sourceAddress,
  ];
  const detail = Object.entries(event.detail ?? {});
  assert.ok(detail.length <= detailEntriesMax, `audit detail has at most ${detailEntriesMax} keys`);
  for (const [key, value] of detail) {
    texts.push(key);
    if (typeof value === 'string') texts.push(value);
    if (typeof value === 'number') assert.ok(Number.isFinite(value), `audit detail ${key}`);
  }
  for (const text of texts) {
    if (text === undefined || text === null) continue;
    assert.ok(text.length <= textLengthMax, 'audit text is at most 1000 characters');
    assert.ok(text.isWellFormed() && !text.includes('\u0000'), 'audit text must be storable');
  }
  assert.ok(event.subject.type !== '', 'audit subject type must not be empty');
}
