/**
 * API keys of an agency: created by its administrator (or a platform administrator), the
 * whole secret shown once, stored as SHA-256 only (a 256-bit random secret needs no slow hash),
 * found by a short public prefix and compared in constant time; rotated (a new key, the old
 * revoked now or at a chosen time) and revoked. Every change is audited in its transaction.
 *
 * A key reads `hk_<prefix>_<secret>`: prefix 12 symbols of a-z0-9, secret 43 of base64url.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import type { ApiClientActor } from '#modules/authorisation/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { ApiKeysErrorCode } from './api-keys-errors.ts';
import {
  integrationDb,
  type AgencyApiKeyTable,
  type AgencyIntegrationTables,
} from './api-keys-tables.ts';

export type ApiKeysDeps = Pick<ModuleDeps, 'db'>;

export type ApiKeyView = Readonly<{
  id: string;
  agencyId: string;
  prefix: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}>;

const keyPattern = /^hk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const prefixAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** A revocation may be put off at most this long (a rotation's overlap). */
export const revokeDelayMaxMs = 30 * 24 * 60 * 60 * 1000;
/** last_used_at is written at most this often per key (not one write per request). */
const lastUsedResolutionMs = 60 * 1000;

function newPrefix(): string {
  return [...randomBytes(12)].map((byte) => prefixAlphabet[byte % 36]).join('');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function viewOf(row: AgencyApiKeyTable): ApiKeyView {
  return { id: row.id, agencyId: row.agency_id, prefix: row.prefix, name: row.name,
    createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

type KeyFailure = Failure<ApiKeysErrorCode>;

async function insertKeyInTrx(trx: Transaction<AgencyIntegrationTables>, input: Readonly<{
  agencyId: string; name: string; actor: AuditActor; now: Date }>):
  Promise<{ key: ApiKeyView; secret: string }> {
  const prefix = newPrefix();
  const secretPart = randomBytes(32).toString('base64url');
  const row: AgencyApiKeyTable = {
    id: uuidv7(input.now.getTime()), agency_id: input.agencyId, prefix,
    secret_hash: hashSecret(secretPart), name: input.name,
    created_by: `${input.actor.kind}:${input.actor.id ?? ''}`, created_at: input.now,
    last_used_at: null, revoked_at: null, revoked_by: null,
  };
  await trx.insertInto('agency_api_key').values(row).execute();
  await recordAuditInTrx(trx, { action: 'AGENCY_API_KEY_CREATED', actor: input.actor,
    subject: { type: 'agency-api-key', id: row.id }, agencyId: input.agencyId,
    detail: { prefix } }, input.now);
  return { key: viewOf(row), secret: `hk_${prefix}_${secretPart}` };
}

function nameProblem(name: string): KeyFailure | undefined {
  const trimmed = name.trim();
  return trimmed.length < 1 || trimmed.length > 80
    ? failure('AGENCY_API_KEY_NAME_INVALID', 'name must be 1 to 80 characters') : undefined;
}

/** Creates a key; the returned secret is the only time anyone sees it. */
export async function createApiKey(deps: ApiKeysDeps, input: Readonly<{
  agencyId: string; name: string; actor: AuditActor; now: Date }>):
  Promise<Result<{ key: ApiKeyView; secret: string }, KeyFailure>> {
  const problem = nameProblem(input.name);
  if (problem !== undefined) return err(problem);
  const created = await integrationDb(deps.db).transaction().execute((trx) =>
    insertKeyInTrx(trx, { ...input, name: input.name.trim() }));
  return ok(created);
}

/** The agency's keys, newest first (never their secrets). */
export async function listApiKeys(deps: ApiKeysDeps, agencyId: string):
  Promise<ApiKeyView[]> {
  const rows = await integrationDb(deps.db).selectFrom('agency_api_key').selectAll()
    .where('agency_id', '=', agencyId).orderBy('created_at', 'desc').orderBy('id', 'desc')
    .execute();
  return rows.map(viewOf);
}

async function revokeInTrx(trx: Transaction<AgencyIntegrationTables>, input: Readonly<{
  agencyId: string; keyId: string; at: Date; actor: AuditActor; now: Date }>):
  Promise<Result<ApiKeyView, KeyFailure>> {
  if (!isUuid(input.keyId)) return err(failure('AGENCY_API_KEY_NOT_FOUND'));
  if (input.at < input.now || input.at.getTime() - input.now.getTime() > revokeDelayMaxMs) {
    return err(failure('AGENCY_REVOKE_TIME_INVALID'));
  }
  const row = await trx.selectFrom('agency_api_key').selectAll()
    .where('id', '=', input.keyId).where('agency_id', '=', input.agencyId)
    .forUpdate().executeTakeFirst();
  if (row === undefined) return err(failure('AGENCY_API_KEY_NOT_FOUND'));
  // Revoking again may only bring the time forward, never take a revocation back.
  if (row.revoked_at !== null && row.revoked_at <= input.at) return ok(viewOf(row));
  const updated = await trx.updateTable('agency_api_key')
    .set({ revoked_at: input.at, revoked_by: `${input.actor.kind}:${input.actor.id ?? ''}` })
    .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  await recordAuditInTrx(trx, { action: 'AGENCY_API_KEY_REVOKED', actor: input.actor,
    subject: { type: 'agency-api-key', id: row.id }, agencyId: input.agencyId,
    detail: { prefix: row.prefix, revokedAt: input.at.toISOString() } }, input.now);
  return ok(viewOf(updated));
}

/** Revokes a key of the agency, now or at `at` (within 30 days). */
export async function revokeApiKey(deps: ApiKeysDeps, input: Readonly<{
  agencyId: string; keyId: string; at?: Date; actor: AuditActor; now: Date }>):
  Promise<Result<ApiKeyView, KeyFailure>> {
  return integrationDb(deps.db).transaction().execute((trx) =>
    revokeInTrx(trx, { ...input, at: input.at ?? input.now }));
}

/** A new key in place of an old one, revoked now or at `revokeAt`: one transaction. */
export async function rotateApiKey(deps: ApiKeysDeps, input: Readonly<{
  agencyId: string; keyId: string; revokeAt?: Date; actor: AuditActor; now: Date }>):
  Promise<Result<{ key: ApiKeyView; secret: string; revoked: ApiKeyView }, KeyFailure>> {
  return integrationDb(deps.db).transaction().execute(async (trx) => {
    const revoked = await revokeInTrx(trx, { ...input, at: input.revokeAt ?? input.now });
    if (!revoked.ok) return revoked;
    const created = await insertKeyInTrx(trx, { agencyId: input.agencyId,
      name: revoked.value.name, actor: input.actor, now: input.now });
    return ok({ ...created, revoked: revoked.value });
  });
}

/**
 * The API client a key names, if it is a live key (known, secret right, not revoked at
 * `now`); else undefined. Constant-time comparison of the hashes.
 */
export async function resolveApiKey(deps: ApiKeysDeps, presented: string, now: Date):
  Promise<ApiClientActor | undefined> {
  const match = keyPattern.exec(presented);
  if (match === null) return undefined;
  const [, prefix = '', secretPart = ''] = match;
  const db = integrationDb(deps.db);
  const row = await db.selectFrom('agency_api_key').selectAll()
    .where('prefix', '=', prefix).executeTakeFirst();
  if (row === undefined) return undefined;
  const given = Buffer.from(hashSecret(secretPart), 'hex');
  if (!timingSafeEqual(given, Buffer.from(row.secret_hash, 'hex'))) return undefined;
  if (row.revoked_at !== null && row.revoked_at <= now) return undefined;
  if (row.last_used_at === null ||
    now.getTime() - row.last_used_at.getTime() >= lastUsedResolutionMs) {
    await db.updateTable('agency_api_key').set({ last_used_at: now })
      .where('id', '=', row.id).execute();
  }
  return { kind: 'api-client', role: 'agency-api-client', clientId: row.id,
    agencyId: row.agency_id };
}

/** The key from an `Authorization: Bearer <key>` header, if it has that shape. */
export function bearerKeyOf(header: string | undefined): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  return match?.[1];
}
