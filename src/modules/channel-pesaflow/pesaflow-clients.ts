/**
 * Pesaflow clients: an agency system that checks out through the legacy protocol, registered
 * per agency by its administrator or a platform administrator. Registration gives out an
 * apiClientID (digits, as the old gateway's), an apiKey and a secret, shown once. The HMAC
 * needs both in clear, so they cannot be hashed: they are sealed with identity's secret box
 * (AES-256-GCM under HUDUMA_SECRETS_KEY, the client's id and the part as associated data) and
 * opened only to check or make a hash (docs/pesaflow.md).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { loadSecretBox } from '#modules/identity/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { PesaflowErrorCode } from './pesaflow-errors.ts';
import type { HashEncoding, IpnRecipe } from './pesaflow-hash.ts';
import { pesaflowDb, type PesaflowClientTable } from './pesaflow-tables.ts';

export type PesaflowDeps = Pick<ModuleDeps, 'db' | 'clock' | 'logger' | 'config'>;
type KeyDeps = Pick<PesaflowDeps, 'config'>;

const sealContext = (clientId: string, part: 'apiKey' | 'secret'): string =>
  `pesaflow-client:${clientId}:${part}`;

/** The client's row with its apiKey and secret opened (for making or checking a hash). */
export async function openClientKeys(deps: KeyDeps, row: PesaflowClientTable):
  Promise<PesaflowClientTable> {
  const box = await loadSecretBox(deps.config);
  return { ...row, api_key: box.open(row.api_key, sealContext(row.id, 'apiKey')),
    secret: box.open(row.secret, sealContext(row.id, 'secret')) };
}

export type PesaflowClientView = Readonly<{
  id: string; agencyId: string; apiClientId: string; name: string; hashEncoding: HashEncoding;
  ipnRecipe: IpnRecipe; createdAt: Date; disabledAt: Date | null;
}>;

export type RegisteredClient = Readonly<{
  client: PesaflowClientView; apiKey: string; secret: string;
}>;

export type RegisterClientInput = Readonly<{
  agencyId: string; name: string; hashEncoding: HashEncoding; ipnRecipe: IpnRecipe;
  actor: AuditActor; now: Date;
}>;

const idDrawsMax = 5;

function viewOf(row: PesaflowClientTable): PesaflowClientView {
  return { id: row.id, agencyId: row.agency_id, apiClientId: row.api_client_id, name: row.name,
    hashEncoding: row.hash_encoding, ipnRecipe: row.ipn_recipe, createdAt: row.created_at,
    disabledAt: row.disabled_at };
}

/** Registers a client; its apiKey and secret are in the answer and never shown again. */
export async function registerPesaflowClient(deps: PesaflowDeps, input: RegisterClientInput):
  Promise<Result<RegisteredClient, Failure<PesaflowErrorCode>>> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 80) return err(failure('PESAFLOW_CLIENT_NAME_INVALID'));
  const apiKey = `pfk_${randomBytes(24).toString('base64url')}`;
  const secret = `pfs_${randomBytes(32).toString('base64url')}`;
  const box = await loadSecretBox(deps.config);
  return pesaflowDb(deps.db).transaction().execute(async (trx) => {
    for (let draw = 0; draw < idDrawsMax; draw += 1) {
      const id = uuidv7(input.now.getTime());
      const row: PesaflowClientTable = { id,
        agency_id: input.agencyId, api_client_id: String(randomInt(10_000_000, 100_000_000)),
        api_key: box.seal(apiKey, sealContext(id, 'apiKey')),
        secret: box.seal(secret, sealContext(id, 'secret')), name,
        hash_encoding: input.hashEncoding, ipn_recipe: input.ipnRecipe,
        payer_account_id: uuidv7(input.now.getTime()),
        created_by: input.actor.id ?? 'system', created_at: input.now, disabled_at: null,
        disabled_by: null };
      const inserted = await trx.insertInto('pesaflow_client').values(row)
        .onConflict((conflict) => conflict.column('api_client_id').doNothing())
        .returning('id').executeTakeFirst();
      if (inserted === undefined) continue;
      await recordAuditInTrx(trx, { action: 'PESAFLOW_CLIENT_REGISTERED', actor: input.actor,
        subject: { type: 'pesaflow_client', id: row.id }, agencyId: input.agencyId,
        detail: { apiClientId: row.api_client_id, hashEncoding: row.hash_encoding,
          ipnRecipe: row.ipn_recipe } }, input.now);
      return ok({ client: viewOf(row), apiKey, secret });
    }
    throw new Error('no free apiClientID after several draws');
  });
}

export async function listPesaflowClients(deps: PesaflowDeps, agencyId: string):
  Promise<PesaflowClientView[]> {
  const rows = await pesaflowDb(deps.db).selectFrom('pesaflow_client').selectAll()
    .where('agency_id', '=', agencyId).orderBy('created_at', 'desc').limit(200).execute();
  return rows.map(viewOf);
}

/** Disables one of the agency's clients (idempotent): its requests are refused from now. */
export async function disablePesaflowClient(deps: PesaflowDeps, input: Readonly<{
  agencyId: string; clientId: string; actor: AuditActor; now: Date;
}>): Promise<Result<PesaflowClientView, Failure<PesaflowErrorCode>>> {
  if (!isUuid(input.clientId)) return err(failure('PESAFLOW_CLIENT_NOT_FOUND'));
  return pesaflowDb(deps.db).transaction().execute(async (trx) => {
    const row = await trx.selectFrom('pesaflow_client').selectAll()
      .where('id', '=', input.clientId).where('agency_id', '=', input.agencyId)
      .forUpdate().executeTakeFirst();
    if (row === undefined) return err(failure('PESAFLOW_CLIENT_NOT_FOUND'));
    if (row.disabled_at !== null) return ok(viewOf(row));
    await trx.updateTable('pesaflow_client').set({ disabled_at: input.now,
      disabled_by: input.actor.id ?? 'system' }).where('id', '=', row.id).execute();
    await recordAuditInTrx(trx, { action: 'PESAFLOW_CLIENT_DISABLED', actor: input.actor,
      subject: { type: 'pesaflow_client', id: row.id }, agencyId: input.agencyId,
      detail: { apiClientId: row.api_client_id } }, input.now);
    return ok(viewOf({ ...row, disabled_at: input.now }));
  });
}

/** A live client by its apiClientID, its keys opened; undefined when unknown or disabled. */
export async function findLiveClient(deps: Pick<PesaflowDeps, 'db' | 'config'>,
  apiClientId: string): Promise<PesaflowClientTable | undefined> {
  if (!/^[0-9]{1,12}$/.test(apiClientId)) return undefined;
  const row = await pesaflowDb(deps.db).selectFrom('pesaflow_client').selectAll()
    .where('api_client_id', '=', apiClientId).executeTakeFirst();
  return row === undefined || row.disabled_at !== null ? undefined : openClientKeys(deps, row);
}
