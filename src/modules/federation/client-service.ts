/**
 * Relying parties (clients) of Sign in with Huduma, registered per agency by a platform
 * administrator: list, register (the secret shown once), rotate the secret, revoke. The
 * secret is stored as SHA-256 only (presented-secret.ts says how the provider checks it).
 * Every change is audited in its transaction.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { FederationErrorCode } from './federation-errors.ts';
import { isAcceptableRedirectUri, isFederationScope } from './federation-scopes.ts';
import { hashClientSecret } from './presented-secret.ts';
import { federationDb, type OidcClientTable } from './federation-tables.ts';

export type ClientDeps = Pick<ModuleDeps, 'db'>;

export type ClientView = Readonly<{
  clientId: string;
  agencyId: string;
  name: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  scopes: readonly string[];
  createdAt: Date;
  secretRotatedAt: Date | null;
  revokedAt: Date | null;
}>;

export type NewClient = Readonly<{
  agencyId: string;
  name: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  scopes: readonly string[];
}>;

type ClientFailure = Failure<FederationErrorCode>;
const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function viewOfClient(row: OidcClientTable): ClientView {
  return { clientId: row.client_id, agencyId: row.agency_id, name: row.name,
    redirectUris: row.redirect_uris, postLogoutRedirectUris: row.post_logout_redirect_uris,
    scopes: row.scopes, createdAt: row.created_at, secretRotatedAt: row.secret_rotated_at,
    revokedAt: row.revoked_at };
}

function newClientId(): string {
  return `hc_${[...randomBytes(20)].map((byte) => idAlphabet[byte % 36]).join('')}`;
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function actorText(actor: AuditActor): string {
  return `${actor.kind}:${actor.id ?? ''}`;
}

/** The client as registered, or a failure naming what is wrong. */
export function checkNewClient(input: NewClient): Result<NewClient, ClientFailure> {
  const name = input.name.trim();
  const scopes = [...new Set(['openid', ...input.scopes])];
  const valid = name.length >= 1 && name.length <= 80 &&
    input.redirectUris.length >= 1 && input.redirectUris.length <= 10 &&
    input.postLogoutRedirectUris.length <= 10 &&
    [...input.redirectUris, ...input.postLogoutRedirectUris].every(isAcceptableRedirectUri) &&
    scopes.every(isFederationScope);
  if (!valid) return err(failure('FEDERATION_CLIENT_INVALID'));
  return ok({ ...input, name, scopes, redirectUris: [...new Set(input.redirectUris)],
    postLogoutRedirectUris: [...new Set(input.postLogoutRedirectUris)] });
}

/** Registers a client; the returned secret is the only time anyone sees it. */
export async function registerClient(deps: ClientDeps, input: NewClient,
  actor: AuditActor, now: Date): Promise<Result<{ client: ClientView; secret: string },
  ClientFailure>> {
  const checked = checkNewClient(input);
  if (!checked.ok) return checked;
  const client = checked.value;
  const clientId = newClientId();
  const secret = newSecret();
  const row: OidcClientTable = {
    client_id: clientId, agency_id: client.agencyId, name: client.name,
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris], scopes: [...client.scopes],
    secret_hash: hashClientSecret(secret),
    created_by: actorText(actor), created_at: now, secret_rotated_at: null, revoked_at: null,
    revoked_by: null,
  };
  await federationDb(deps.db).transaction().execute(async (trx) => {
    await trx.insertInto('oidc_client').values(row).execute();
    await recordAuditInTrx(trx, { action: 'FEDERATION_CLIENT_REGISTERED', actor,
      subject: { type: 'oidc-client', id: clientId }, agencyId: client.agencyId,
      detail: { name: client.name, scopes: client.scopes.join(' ') } }, now);
  });
  return ok({ client: viewOfClient(row), secret });
}

/** Every client, or one agency's, newest first (never their secrets). */
export async function listClients(deps: Pick<ModuleDeps, 'db'>, agencyId?: string):
  Promise<ClientView[]> {
  let query = federationDb(deps.db).selectFrom('oidc_client').selectAll()
    .orderBy('created_at', 'desc').orderBy('client_id').limit(500);
  if (agencyId !== undefined) query = query.where('agency_id', '=', agencyId);
  return (await query.execute()).map(viewOfClient);
}

/** A client that is not revoked, by its id. */
export async function findLiveClient(deps: Pick<ModuleDeps, 'db'>, clientId: string):
  Promise<OidcClientTable | undefined> {
  return federationDb(deps.db).selectFrom('oidc_client').selectAll()
    .where('client_id', '=', clientId).where('revoked_at', 'is', null).executeTakeFirst();
}

/** A new secret for a live client; the old one stops working at once. */
export async function rotateClientSecret(deps: ClientDeps, clientId: string,
  actor: AuditActor, now: Date): Promise<Result<{ client: ClientView; secret: string },
  ClientFailure>> {
  const secret = newSecret();
  return federationDb(deps.db).transaction().execute(async (trx) => {
    const row = await trx.selectFrom('oidc_client').selectAll()
      .where('client_id', '=', clientId).forUpdate().executeTakeFirst();
    if (row === undefined) return err(failure('FEDERATION_CLIENT_NOT_FOUND'));
    if (row.revoked_at !== null) return err(failure('FEDERATION_CLIENT_REVOKED'));
    const updated = await trx.updateTable('oidc_client')
      .set({ secret_hash: hashClientSecret(secret), secret_rotated_at: now })
      .where('client_id', '=', clientId).returningAll().executeTakeFirstOrThrow();
    await recordAuditInTrx(trx, { action: 'FEDERATION_CLIENT_SECRET_ROTATED', actor,
      subject: { type: 'oidc-client', id: clientId }, agencyId: row.agency_id, detail: {} },
    now);
    return ok({ client: viewOfClient(updated), secret });
  });
}

/**
 * Revokes a client: it can no longer sign anyone in, and its tokens and grants are deleted
 * (the provider then refuses them). Revoking again changes nothing.
 */
export async function revokeClient(deps: Pick<ModuleDeps, 'db'>, clientId: string,
  actor: AuditActor, now: Date): Promise<Result<ClientView, ClientFailure>> {
  return federationDb(deps.db).transaction().execute(async (trx) => {
    const row = await trx.selectFrom('oidc_client').selectAll()
      .where('client_id', '=', clientId).forUpdate().executeTakeFirst();
    if (row === undefined) return err(failure('FEDERATION_CLIENT_NOT_FOUND'));
    if (row.revoked_at !== null) return ok(viewOfClient(row));
    const updated = await trx.updateTable('oidc_client')
      .set({ revoked_at: now, revoked_by: actorText(actor) })
      .where('client_id', '=', clientId).returningAll().executeTakeFirstOrThrow();
    await trx.deleteFrom('oidc_record')
      .where(sql<boolean>`payload @> ${JSON.stringify({ clientId })}::jsonb`).execute();
    await recordAuditInTrx(trx, { action: 'FEDERATION_CLIENT_REVOKED', actor,
      subject: { type: 'oidc-client', id: clientId }, agencyId: row.agency_id, detail: {} },
    now);
    return ok(viewOfClient(updated));
  });
}
