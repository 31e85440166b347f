/**
 * The provider library's storage (its Adapter interface) over the app's database: one table,
 * oidc_record, for every model it keeps (sessions, interactions, codes, tokens, grants), each
 * row with its expiry; an expired row is never returned, and purgeExpiredRecords deletes
 * them (a periodic job). Clients are not stored here: they are read from oidc_client, which
 * the staff pages write.
 */
import { sql } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ModuleDeps } from '#platform/module.ts';
import { findLiveClient } from './client-service.ts';
import { federationDb, type OidcClientTable } from './federation-tables.ts';
import { secretForLibrary } from './presented-secret.ts';

export type AdapterDeps = Pick<ModuleDeps, 'db' | 'clock'>;

/** Client metadata the provider reads for a registered client. */
export function clientMetadataOf(row: OidcClientTable): AdapterPayload {
  return {
    client_id: row.client_id,
    client_secret: secretForLibrary(row.client_id, row.secret_hash),
    client_name: row.name,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    grant_types: row.scopes.includes('offline_access')
      ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: row.scopes.join(' '),
  };
}

class ClientAdapter implements Adapter {
  readonly #deps: AdapterDeps;
  constructor(deps: AdapterDeps) {
    this.#deps = deps;
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await findLiveClient(this.#deps, id);
    return row === undefined ? undefined : clientMetadataOf(row);
  }
  upsert(): Promise<void> {
    return Promise.reject(new Error('clients are registered on the staff pages'));
  }
  findByUid(): Promise<undefined> { return Promise.resolve(undefined); }
  findByUserCode(): Promise<undefined> { return Promise.resolve(undefined); }
  consume(): Promise<void> { return Promise.resolve(); }
  destroy(): Promise<void> { return Promise.resolve(); }
  revokeByGrantId(): Promise<void> { return Promise.resolve(); }
}

class RecordAdapter implements Adapter {
  readonly #deps: AdapterDeps;
  readonly #model: string;
  constructor(deps: AdapterDeps, model: string) {
    this.#deps = deps;
    this.#model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const now = this.#deps.clock.now();
    const expiresAt = expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null;
    const row = { payload: sql`${JSON.stringify(payload)}::jsonb`,
      grant_id: payload.grantId ?? null, uid: payload.uid ?? null, expires_at: expiresAt };
    await federationDb(this.#deps.db).insertInto('oidc_record')
      .values({ model: this.#model, id, consumed_at: null, ...row } as never)
      .onConflict((conflict) => conflict.columns(['model', 'id']).doUpdateSet(row as never))
      .execute();
  }

  async #findWhere(column: 'id' | 'uid', value: string): Promise<AdapterPayload | undefined> {
    const row = await federationDb(this.#deps.db).selectFrom('oidc_record')
      .select(['payload', 'consumed_at', 'expires_at'])
      .where('model', '=', this.#model).where(column, '=', value).executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.#deps.clock.now()) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumed_at === null ? payload
      : { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) };
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('uid', uid);
  }

  /** No device flow here: there are no user codes. */
  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  async consume(id: string): Promise<void> {
    await federationDb(this.#deps.db).updateTable('oidc_record')
      .set({ consumed_at: this.#deps.clock.now() })
      .where('model', '=', this.#model).where('id', '=', id).execute();
  }

  async destroy(id: string): Promise<void> {
    await federationDb(this.#deps.db).deleteFrom('oidc_record')
      .where('model', '=', this.#model).where('id', '=', id).execute();
  }

  /** This model's records of the grant (the library calls it once per token model). */
  async revokeByGrantId(grantId: string): Promise<void> {
    await federationDb(this.#deps.db).deleteFrom('oidc_record')
      .where('model', '=', this.#model).where('grant_id', '=', grantId).execute();
  }
}

/** The adapter class the provider is configured with (it makes one per model name). */
export function adapterFor(deps: AdapterDeps): new (model: string) => Adapter {
  return class HudumaOidcAdapter implements Adapter {
    readonly #inner: Adapter;
    constructor(model: string) {
      this.#inner = model === 'Client' ? new ClientAdapter(deps) : new RecordAdapter(deps, model);
    }
    upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      return this.#inner.upsert(id, payload, expiresIn);
    }
    find(id: string) { return this.#inner.find(id); }
    findByUid(uid: string) { return this.#inner.findByUid(uid); }
    findByUserCode(code: string) { return this.#inner.findByUserCode(code); }
    consume(id: string) { return this.#inner.consume(id); }
    destroy(id: string) { return this.#inner.destroy(id); }
    revokeByGrantId(grantId: string) { return this.#inner.revokeByGrantId(grantId); }
  };
}

/** Deletes records that expired before `now`; returns how many. */
export async function purgeExpiredRecords(deps: Pick<ModuleDeps, 'db'>, now: Date):
  Promise<number> {
  const result = await federationDb(deps.db).deleteFrom('oidc_record')
    .where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
