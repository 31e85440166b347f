/**
 * Whose invoice is this? A citizen sees only invoices they pay: their own, or those of the
 * dependant or business they are acting for. Anything else is "not found" (404), so a guessed
 * bill reference confirms nothing.
 */
import type { FastifyRequest } from 'fastify';
import { actingForAccountId } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { findAccountNames } from '../account-names-repo.ts';
import { invoiceView, type InvoiceView } from '../invoice-service.ts';

export type ActingFor = Readonly<{ by: string; for: string }>;

/** The signed-in account holder themself (not whom they act for). */
export function signedInAccountIdOf(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor?.kind !== 'account') throw new ProblemError({ code: 'PAY_INVOICE_NOT_FOUND' });
  return actor.accountId;
}

/**
 * Who acts for whom, by name, when the caller acts for a dependant or a business (every money
 * page says so); undefined when they act for themselves.
 */
export async function actingForNames(deps: ModuleDeps, request: FastifyRequest):
  Promise<ActingFor | undefined> {
  const actor = request.actor;
  if (actor?.kind !== 'account' || actor.onBehalfOf === null) return undefined;
  const names = await findAccountNames(deps.db, [actor.accountId, actor.onBehalfOf.id]);
  return { by: names.get(actor.accountId) ?? '', for: names.get(actor.onBehalfOf.id) ?? '' };
}

/** The account a citizen's payment acts are for. Only account holders reach these routes. */
export function payerAccountIdOf(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor?.kind !== 'account') throw new ProblemError({ code: 'PAY_INVOICE_NOT_FOUND' });
  return actingForAccountId(actor);
}

export function mayPay(request: FastifyRequest, invoice: Pick<InvoiceView, 'payerAccountId'>):
  boolean {
  const actor = request.actor;
  if (actor?.kind !== 'account') return false;
  return invoice.payerAccountId === actingForAccountId(actor) ||
    invoice.payerAccountId === actor.accountId;
}

/** The invoice named in the path, if the caller pays it; else a 404 (thrown). */
export async function payersInvoice(
  deps: ModuleDeps,
  request: FastifyRequest,
  reference: string,
): Promise<InvoiceView> {
  const invoice = await invoiceView(deps, reference, deps.clock.now());
  if (invoice === undefined || !mayPay(request, invoice)) {
    throw new ProblemError({ code: 'PAY_INVOICE_NOT_FOUND' });
  }
  return invoice;
}
