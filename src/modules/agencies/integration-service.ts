/**
 * The integration API's use cases, for an agency system holding an API key of one agency:
 * create an invoice for one of the agency's own services, idempotent on the agency's own
 * reference; read it with its payments; list the agency's payments; its settlement batches.
 * Everything is scoped to the key's agency in the query: another agency's data is not found.
 *
 * The payer is a platform account (its id): payments keeps a payer account on every invoice
 * (overpayments are credited to it), and has no invoice for a customer without one.
 */
import { createHash } from 'node:crypto';
import { recordAuditsInTrx, type AuditActor, type AuditEvent } from '#modules/audit/index.ts';
import { findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import {
  createInvoiceForServiceInTrx,
  invoiceViewById,
  type CreateInvoiceFailure,
  type InvoiceView,
} from '#modules/payments/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { ApiKeysErrorCode } from './api-keys-errors.ts';
import { integrationDb, type AgencyInvoiceTable } from './api-keys-tables.ts';

export type IntegrationDeps = Pick<ModuleDeps, 'db' | 'clock' | 'logger'>;

export type CreateAgencyInvoiceInput = Readonly<{
  agencyId: string;
  agencyReference: string;
  /** The service, by id or slug; must be the agency's own. */
  service: string;
  payerAccountId: string;
  actor: AuditActor;
  now: Date;
}>;

export type AgencyInvoice = Readonly<{
  agencyReference: string;
  invoice: InvoiceView;
  /** False when the reference was seen before and its invoice is returned again. */
  created: boolean;
}>;

export type CreateAgencyInvoiceFailure = Failure<ApiKeysErrorCode> | CreateInvoiceFailure;

/** Thrown inside the transaction to take the new invoice back when the reference is taken. */
class ReferenceTaken extends Error {}

function requestHash(serviceId: string, payerAccountId: string): string {
  return createHash('sha256').update(JSON.stringify({ serviceId, payerAccountId }))
    .digest('hex');
}

async function findAgencyInvoiceRow(deps: IntegrationDeps, agencyId: string,
  agencyReference: string): Promise<AgencyInvoiceTable | undefined> {
  return integrationDb(deps.db).selectFrom('agency_invoice').selectAll()
    .where('agency_id', '=', agencyId).where('agency_reference', '=', agencyReference)
    .executeTakeFirst();
}

async function replay(deps: IntegrationDeps, row: AgencyInvoiceTable, hash: string, now: Date):
  Promise<Result<AgencyInvoice, CreateAgencyInvoiceFailure>> {
  if (row.request_hash !== hash) {
    return err(failure('AGENCY_REFERENCE_CONFLICT',
      `reference ${row.agency_reference} was used with another service or payer`));
  }
  const invoice = await invoiceViewById(deps, row.invoice_id, now);
  if (invoice === undefined) throw new Error(`invoice ${row.invoice_id} vanished`);
  return ok({ agencyReference: row.agency_reference, invoice, created: false });
}

/**
 * Issues an invoice for one of the agency's services, or returns the one issued before under
 * the same agency reference (a different service or payer under it: AGENCY_REFERENCE_CONFLICT).
 * Two requests at once with one reference: the unique key makes the second wait for the first
 * and take its invoice back; it then answers with the first's invoice.
 */
export async function createAgencyInvoice(deps: IntegrationDeps,
  input: CreateAgencyInvoiceInput): Promise<Result<AgencyInvoice, CreateAgencyInvoiceFailure>> {
  const service = await findServiceByIdOrSlug(deps, input.service);
  if (service === undefined || service.agency.id !== input.agencyId) {
    return err(failure('AGENCY_SERVICE_NOT_FOUND', `no service ${input.service} of this agency`));
  }
  const hash = requestHash(service.id, input.payerAccountId);
  const seen = await findAgencyInvoiceRow(deps, input.agencyId, input.agencyReference);
  if (seen !== undefined) return replay(deps, seen, hash, input.now);
  try {
    const issued = await integrationDb(deps.db).transaction().execute(async (trx) => {
      const audits: AuditEvent[] = [];
      const created = await createInvoiceForServiceInTrx(trx, deps, {
        service: service.id, payerAccountId: input.payerAccountId, now: input.now,
        actor: input.actor, subject: `agency-invoice:${input.agencyId}`, audits });
      if (!created.ok) return created;
      const inserted = await trx.insertInto('agency_invoice').values({
        agency_id: input.agencyId, agency_reference: input.agencyReference,
        request_hash: hash, invoice_id: created.value.id, created_at: input.now,
      }).onConflict((conflict) => conflict.columns(['agency_id', 'agency_reference'])
        .doNothing()).returning('invoice_id').executeTakeFirst();
      if (inserted === undefined) throw new ReferenceTaken();
      audits.push({ action: 'AGENCY_INVOICE_CREATED', actor: input.actor,
        subject: { type: 'invoice', id: created.value.id }, agencyId: input.agencyId,
        detail: { agencyReference: input.agencyReference } });
      await recordAuditsInTrx(trx, audits, input.now);
      return ok(created.value.id);
    });
    if (!issued.ok) return issued;
    const invoice = await invoiceViewById(deps, issued.value, input.now);
    if (invoice === undefined) throw new Error(`invoice ${issued.value} vanished`);
    return ok({ agencyReference: input.agencyReference, invoice, created: true });
  } catch (error) {
    if (!(error instanceof ReferenceTaken)) throw error;
    const winner = await findAgencyInvoiceRow(deps, input.agencyId, input.agencyReference);
    if (winner === undefined) throw new Error('agency reference taken, then not found');
    return replay(deps, winner, hash, input.now);
  }
}

/** The agency's invoice under its own reference, with its allocations; else not found. */
export async function agencyInvoice(deps: IntegrationDeps, agencyId: string,
  agencyReference: string, now: Date): Promise<AgencyInvoice | undefined> {
  const row = await findAgencyInvoiceRow(deps, agencyId, agencyReference);
  if (row === undefined) return undefined;
  const invoice = await invoiceViewById(deps, row.invoice_id, now);
  if (invoice?.agencyId !== agencyId) return undefined;
  return { agencyReference, invoice, created: false };
}

/** The agency references of these invoices (those created through the API). */
export async function agencyReferencesOf(deps: IntegrationDeps, agencyId: string,
  invoiceIds: readonly string[]): Promise<Map<string, string>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await integrationDb(deps.db).selectFrom('agency_invoice')
    .select(['invoice_id', 'agency_reference']).where('agency_id', '=', agencyId)
    .where('invoice_id', 'in', [...new Set(invoiceIds)]).execute();
  return new Map(rows.map((row) => [row.invoice_id, row.agency_reference]));
}
