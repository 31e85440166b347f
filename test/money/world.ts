/**
 * What every step of a generated money history works with: the harness (the app and the
 * Daraja emulator over HTTP), the independent model, the payers and the finance officers.
 */
import assert from 'node:assert/strict';
import type { AuditActor } from '#modules/audit/index.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
import type { ModelInvoice, MoneyModel } from '#test/helpers/money-history.ts';
import { fixtureIds, type PaymentsHarness } from '#test/helpers/payments.ts';

export type World = Readonly<{
  harness: PaymentsHarness;
  model: MoneyModel;
  /** Citizens' account ids (each with a registered phone, for B2C). */
  payers: readonly string[];
  /** Finance officers: one asks or proposes, another approves; settlement needs a third. */
  maker: AuditActor;
  checker: AuditActor;
  preparer: AuditActor;
}>;

/** A finance officer's reach: every agency. */
export const finance = { kind: 'staff', agencies: 'all' } as const;

const services = [fixtureIds.passport, fixtureIds.permit] as const;

/** A failure's code, or 'ok'. */
export const codeOf = (result: { ok: boolean; error?: { code: string } }): string =>
  result.ok ? 'ok' : result.error?.code ?? '';

/** Issues an invoice (passport KES 1,050.00 or permit KES 260.00) and adds it to the model. */
export async function issueInvoice(world: World, service: number, payer: number):
  Promise<ModelInvoice> {
  const payerId = world.payers[payer % world.payers.length] ?? '';
  const created = await createInvoiceForService(world.harness.deps, {
    service: services[service % services.length] ?? fixtureIds.passport,
    payerAccountId: payerId, now: new Date() });
  assert.ok(created.ok, 'the invoice is issued');
  const view = created.value;
  const accessMinor = view.lines.filter((line) => line.kind === 'access_fee')
    .reduce((total, line) => total + line.amount.amountMinor, 0n);
  const invoice: ModelInvoice = { id: view.id, reference: view.reference, payerId,
    totalMinor: view.total.amountMinor, agencyMinor: view.total.amountMinor - accessMinor,
    accessMinor, receivedMinor: 0n, cancelled: false, coveredExcessMinor: 0n,
    withdrawn: false };
  world.model.invoices.set(invoice.id, invoice);
  return invoice;
}

/** Invoices the model says are not yet paid in full. */
export const openInvoices = (model: MoneyModel): ModelInvoice[] => [...model.invoices.values()]
  .filter((invoice) => invoice.receivedMinor < invoice.totalMinor && !invoice.cancelled);
