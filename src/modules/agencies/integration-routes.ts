/**
 * The integration API agency systems call with `Authorization: Bearer <key>` (docs/agency-api.md):
 * POST /api/v1/agency/invoices, GET /api/v1/agency/invoices/:reference,
 * GET /api/v1/agency/payments, GET /api/v1/agency/settlement-batches. Every answer is limited
 * to the key's agency (an agency's staff calling with a session get their own agency's).
 * Amounts are minor units as decimal strings.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf } from '#modules/authorisation/index.ts';
import { catalogueModule } from '#modules/catalogue/index.ts';
import {
  listAgencyPayments,
  paymentsErrors,
  type InvoiceView,
} from '#modules/payments/index.ts';
import { listBatchSummaries, listLines, settlementDb } from '#modules/settlement/index.ts';
import { failure, joinErrorTables, platformErrors } from '#platform/errors/index.ts';
import { sendProblem } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { Money } from '#platform/money/index.ts';
import { apiKeysErrors, type ApiKeysErrorCode } from './api-keys-errors.ts';
import { bearerKeyOf, resolveApiKey } from './api-keys-service.ts';
import {
  agencyInvoice,
  agencyReferencesOf,
  createAgencyInvoice,
  type AgencyInvoice,
} from './integration-service.ts';
import {
  AgencyInvoiceBody,
  AgencyInvoiceResponse,
  BatchesQuery,
  BatchesResponse,
  ErrorResponses,
  InvoiceParams,
  PaymentsQuery,
  PaymentsResponse,
  decodeCursor,
  encodeCursor,
} from './integration-schemas.ts';

export const integrationPaths = {
  invoices: '/api/v1/agency/invoices',
  invoice: '/api/v1/agency/invoices/:reference',
  payments: '/api/v1/agency/payments',
  settlementBatches: '/api/v1/agency/settlement-batches',
} as const;

/** The OpenAPI security scheme the integration routes name (declared in src/app.ts). */
export const agencyApiKeyScheme = 'agencyApiKey';
const security = [{ [agencyApiKeyScheme]: [] }];
const tags = ['agency integration'];
const paymentsPageMax = 100;
const batchesPageSize = 25;
/** What creating an invoice may answer: ours, and those of the quote and the invoice. */
const createErrors = joinErrorTables([apiKeysErrors, paymentsErrors, catalogueModule.errors,
  platformErrors]);

function amount(value: Money): { amountMinor: string; currency: string } {
  return { amountMinor: value.amountMinor.toString(), currency: value.currency };
}

function sendError(reply: FastifyReply, code: ApiKeysErrorCode, detail?: string): FastifyReply {
  return sendProblem(reply, apiKeysErrors, failure(code, detail));
}

/** The one agency the caller speaks for: the key's, or an agency staff member's. */
function agencyOf(request: FastifyRequest): string | undefined {
  const actor = request.actor;
  if (actor?.kind === 'api-client') return actor.agencyId;
  if (actor?.kind === 'staff') return actor.agencyId ?? undefined;
  return undefined;
}

export function invoiceBody(found: AgencyInvoice): Static<typeof AgencyInvoiceResponse> {
  const invoice: InvoiceView = found.invoice;
  return {
    agencyReference: found.agencyReference, id: invoice.id, billReference: invoice.reference,
    serviceId: invoice.serviceId, payerAccountId: invoice.payerAccountId,
    status: invoice.status, total: amount(invoice.total), paid: amount(invoice.paid),
    balanceDue: amount(invoice.balanceDue), issuedAt: invoice.issuedAt.toISOString(),
    expiresAt: invoice.expiresAt.toISOString(),
    lines: invoice.lines.map((line) => ({ kind: line.kind, description: line.description,
      amount: amount(line.amount) })),
    payments: invoice.allocations.map((allocation) => ({
      source: allocation.source, receiptNumber: allocation.receiptNumber,
      channel: allocation.channel, amount: amount(allocation.amount),
      allocatedAt: allocation.allocatedAt.toISOString() })),
  };
}

function invoiceRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.post(integrationPaths.invoices, {
    config: { access: { permission: 'invoices.create' } },
    schema: { tags, security, summary: 'Create an invoice (idempotent on agencyReference)',
      body: AgencyInvoiceBody,
      response: { 200: AgencyInvoiceResponse, 201: AgencyInvoiceResponse, ...ErrorResponses } },
  }, async (request, reply) => {
    const agencyId = agencyOf(request);
    if (agencyId === undefined) return sendError(reply, 'AGENCY_SCOPE_REQUIRED');
    const result = await createAgencyInvoice(deps, { agencyId, ...request.body,
      actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (!result.ok) return sendProblem(reply, createErrors, result.error);
    return reply.code(result.value.created ? 201 : 200).send(invoiceBody(result.value));
  });
  typed.get(integrationPaths.invoice, {
    config: { access: { permission: 'payments.read' } },
    schema: { tags, security, summary: 'An invoice by the agency\'s reference, with payments',
      params: InvoiceParams, response: { 200: AgencyInvoiceResponse, ...ErrorResponses } },
  }, async (request, reply) => {
    const agencyId = agencyOf(request);
    if (agencyId === undefined) return sendError(reply, 'AGENCY_SCOPE_REQUIRED');
    const found = await agencyInvoice(deps, agencyId, request.params.reference,
      deps.clock.now());
    if (found === undefined) return sendError(reply, 'AGENCY_INVOICE_NOT_FOUND');
    return invoiceBody(found);
  });
}

function readRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get(integrationPaths.payments, {
    config: { access: { permission: 'payments.read' } },
    schema: { tags, security, summary: 'The agency\'s payments by date, paged',
      querystring: PaymentsQuery, response: { 200: PaymentsResponse, ...ErrorResponses } },
  }, async (request, reply) => {
    const agencyId = agencyOf(request);
    if (agencyId === undefined) return sendError(reply, 'AGENCY_SCOPE_REQUIRED');
    const { from, to, cursor, limit = 50 } = request.query;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after === null) return sendError(reply, 'AGENCY_CURSOR_INVALID');
    const size = Math.min(limit, paymentsPageMax);
    const rows = await listAgencyPayments(deps, { agencyId, from: new Date(from),
      to: new Date(to), ...(after === undefined ? {} : { after }), limit: size + 1 });
    const page = rows.slice(0, size);
    const references = await agencyReferencesOf(deps, agencyId,
      page.map((row) => row.invoiceId));
    const last = page.at(-1);
    return {
      payments: page.map((row) => ({ id: row.id, receiptNumber: row.receiptNumber,
        channel: row.channel, amount: amount(row.amount), paidAt: row.paidAt.toISOString(),
        billReference: row.invoiceReference, disposition: row.disposition,
        agencyReference: references.get(row.invoiceId) ?? null })),
      nextCursor: rows.length > size && last !== undefined ? encodeCursor(last) : null,
    };
  });
  typed.get(integrationPaths.settlementBatches, {
    config: { access: { permission: 'settlement.read' } },
    schema: { tags, security, summary: 'Settlement batches paying the agency (its lines only)',
      querystring: BatchesQuery, response: { 200: BatchesResponse, ...ErrorResponses } },
  }, async (request, reply) => {
    const agencyId = agencyOf(request);
    if (agencyId === undefined) return sendError(reply, 'AGENCY_SCOPE_REQUIRED');
    const page = request.query.page ?? 1;
    const db = settlementDb(deps.db);
    const batches = await listBatchSummaries(db, { payee: agencyId, limit: batchesPageSize + 1,
      offset: (page - 1) * batchesPageSize });
    const shown = batches.slice(0, batchesPageSize);
    const body = [];
    for (const batch of shown) {
      const lines = (await listLines(db, batch.id)).filter((line) => line.payee === agencyId);
      body.push({ id: batch.id, reference: batch.reference, state: batch.state,
        currency: batch.currency, cutoff: batch.cutoff.toISOString(),
        preparedAt: batch.prepared_at.toISOString(),
        settledAt: batch.settled_at?.toISOString() ?? null, bankReference: batch.bank_reference,
        lines: lines.map((line) => ({ id: line.id, state: line.state,
          amount: { amountMinor: BigInt(line.amount_minor).toString(), currency: line.currency },
          returnedReason: line.returned_reason })) });
    }
    return { batches: body, nextPage: batches.length > batchesPageSize ? page + 1 : null };
  });
}

/** Registers the Bearer key resolver and the integration routes. */
export async function integrationRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  app.accessControl.addCredentialResolver(async (request) => {
    const key = bearerKeyOf(request.headers.authorization);
    return key === undefined ? undefined : resolveApiKey(deps, key, deps.clock.now());
  });
  invoiceRoutes(app, deps);
  readRoutes(app, deps);
  return Promise.resolve();
}
