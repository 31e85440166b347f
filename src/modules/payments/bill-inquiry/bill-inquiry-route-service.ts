/**
 * Configuring an agency's bill inquiry (its administrator, or a platform administrator for a
 * chosen agency): register the prefix with the lookup address, timeout, fallback, part
 * payments and the service its bills are for (the signing secret made and returned once);
 * change all but the prefix later; rotate the secret. Each change audited in its transaction.
 */
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import type { AgencyScope } from '#modules/authorisation/index.ts';
import { findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import { generateLookupSecret } from './bill-inquiry-client.ts';
import type { BillInquiryErrorCode } from './bill-inquiry-errors.ts';
import { findRouteByAgency, toRoute, type BillInquiryRoute } from './bill-inquiry-repo.ts';
import {
  lookupUrlAccepted,
  parseAgencyPrefix,
  timeoutAccepted,
} from './bill-inquiry-rules.ts';
import { billInquiryDb, type BillInquiryFallback } from './bill-inquiry-tables.ts';

export type BillInquiryFailure = Failure<BillInquiryErrorCode>;

export type SaveBillInquiryInput = Readonly<{
  scope: AgencyScope;
  /** For platform-wide roles (scope 'all'): the agency configured. */
  agencyId?: string | undefined;
  prefix: string;
  /** The agency's service its bills are for: id or slug. */
  service: string;
  lookupUrl: string;
  timeoutMs: number;
  fallback: BillInquiryFallback;
  allowsPartPayment: boolean;
  /** Production allows only https addresses outside this machine and private networks. */
  production: boolean;
  actor: AuditActor;
  now: Date;
}>;

export type SavedBillInquiry = Readonly<{
  route: BillInquiryRoute;
  /** Only when the route was created: the signing secret, shown once. */
  secret: string | undefined;
}>;

function agencyOf(scope: AgencyScope, agencyId: string | undefined): string | undefined {
  const id = scope === 'all' ? agencyId ?? '' : scope;
  return isUuid(id) ? id : undefined;
}

/** Every route in scope, newest first (a platform administrator sees all). */
export async function listBillInquiryRoutes(deps: Pick<PaymentsDeps, 'db'>, scope: AgencyScope):
  Promise<BillInquiryRoute[]> {
  let query = billInquiryDb(deps.db).selectFrom('bill_inquiry_route').selectAll();
  if (scope !== 'all') query = query.where('agency_id', '=', scope);
  const rows = await query.orderBy('created_at', 'desc').limit(200).execute();
  return rows.map(toRoute);
}

async function checkInput(deps: PaymentsDeps, input: SaveBillInquiryInput, agencyId: string):
  Promise<Result<Readonly<{ prefix: string; serviceId: string }>, BillInquiryFailure>> {
  const prefix = parseAgencyPrefix(input.prefix);
  if (prefix === undefined) return err(failure('PAY_BILL_INQUIRY_PREFIX_INVALID'));
  if (!lookupUrlAccepted(input.lookupUrl, input.production)) {
    return err(failure('PAY_BILL_INQUIRY_URL_INVALID'));
  }
  if (!timeoutAccepted(input.timeoutMs)) return err(failure('PAY_BILL_INQUIRY_TIMEOUT_INVALID'));
  const service = input.service.trim() === '' ? undefined
    : await findServiceByIdOrSlug(deps, input.service.trim());
  if (service?.agency.id !== agencyId) return err(failure('PAY_BILL_INQUIRY_SERVICE_NOT_FOUND'));
  return ok({ prefix, serviceId: service.id });
}

/**
 * Creates or changes the agency's route. Fails with PAY_BILL_INQUIRY_AGENCY_REQUIRED,
 * _PREFIX_INVALID, _URL_INVALID, _TIMEOUT_INVALID, _SERVICE_NOT_FOUND, _PREFIX_FIXED (another
 * prefix than the registered one) and _PREFIX_TAKEN (another agency's).
 */
export async function saveBillInquiryRoute(deps: PaymentsDeps, input: SaveBillInquiryInput):
  Promise<Result<SavedBillInquiry, BillInquiryFailure>> {
  const agencyId = agencyOf(input.scope, input.agencyId);
  if (agencyId === undefined) return err(failure('PAY_BILL_INQUIRY_AGENCY_REQUIRED'));
  const checked = await checkInput(deps, input, agencyId);
  if (!checked.ok) return checked;
  const { prefix, serviceId } = checked.value;
  const changes = { service_id: serviceId, lookup_url: input.lookupUrl,
    timeout_ms: input.timeoutMs, fallback: input.fallback,
    allows_part_payment: input.allowsPartPayment, updated_at: input.now,
    updated_by: input.actor.id ?? input.actor.kind };
  const saved = await billInquiryDb(deps.db).transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('bill_inquiry_route').select(['id', 'prefix'])
      .where('agency_id', '=', agencyId).forUpdate().executeTakeFirst();
    if (existing !== undefined) {
      if (existing.prefix !== prefix) return err(failure('PAY_BILL_INQUIRY_PREFIX_FIXED'));
      await trx.updateTable('bill_inquiry_route').set(changes)
        .where('id', '=', existing.id).execute();
      await recordAuditInTrx(trx, { action: 'BILL_INQUIRY_ROUTE_CHANGED', actor: input.actor,
        subject: { type: 'bill_inquiry_route', id: existing.id }, agencyId,
        detail: { prefix, fallback: input.fallback, timeoutMs: input.timeoutMs,
          allowsPartPayment: input.allowsPartPayment } }, input.now);
      return ok(undefined);
    }
    const id = uuidv7(input.now.getTime());
    const secret = generateLookupSecret();
    const inserted = await trx.insertInto('bill_inquiry_route').values({ ...changes, id,
      agency_id: agencyId, prefix, payer_account_id: uuidv7(input.now.getTime()), secret,
      created_at: input.now, created_by: changes.updated_by })
      .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
    // Another agency holds the prefix (or this agency's route was made a moment ago).
    if (inserted === undefined) return err(failure('PAY_BILL_INQUIRY_PREFIX_TAKEN'));
    await recordAuditInTrx(trx, { action: 'BILL_INQUIRY_ROUTE_REGISTERED', actor: input.actor,
      subject: { type: 'bill_inquiry_route', id }, agencyId,
      detail: { prefix, fallback: input.fallback, timeoutMs: input.timeoutMs,
        allowsPartPayment: input.allowsPartPayment } }, input.now);
    return ok(secret);
  });
  if (!saved.ok) return saved;
  const route = await findRouteByAgency(deps.db, agencyId);
  if (route === undefined) throw new Error(`bill inquiry route of ${agencyId} vanished`);
  return ok({ route, secret: saved.value });
}

/**
 * A new signing secret, returned once; lookups are signed with it from now on. Fails with
 * PAY_BILL_INQUIRY_NOT_FOUND (no route of the agency in scope).
 */
export async function rotateBillInquirySecret(deps: Pick<PaymentsDeps, 'db'>,
  input: Readonly<{ scope: AgencyScope; agencyId?: string | undefined; actor: AuditActor;
    now: Date }>): Promise<Result<{ secret: string }, BillInquiryFailure>> {
  const agencyId = agencyOf(input.scope, input.agencyId);
  if (agencyId === undefined) return err(failure('PAY_BILL_INQUIRY_NOT_FOUND'));
  const secret = generateLookupSecret();
  return billInquiryDb(deps.db).transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('bill_inquiry_route').select('id')
      .where('agency_id', '=', agencyId).forUpdate().executeTakeFirst();
    if (existing === undefined) return err(failure('PAY_BILL_INQUIRY_NOT_FOUND'));
    await trx.updateTable('bill_inquiry_route').set({ secret, updated_at: input.now,
      updated_by: input.actor.id ?? input.actor.kind }).where('id', '=', existing.id).execute();
    await recordAuditInTrx(trx, { action: 'BILL_INQUIRY_SECRET_ROTATED', actor: input.actor,
      subject: { type: 'bill_inquiry_route', id: existing.id }, agencyId }, input.now);
    return ok({ secret });
  });
}
