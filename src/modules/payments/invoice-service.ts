/**
 * Invoice use cases: issue an invoice for a service, find it by bill reference, show it, cancel
 * it. Expected failures are returned (Result), never thrown.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { money, subtract, sum, type Money } from '#platform/money/index.ts';
import { recordAuditInTrx, type AuditActor, type AuditEvent } from '#modules/audit/index.ts';
import {
  findServiceByIdOrSlug,
  quoteService,
  recordServiceDemandInTrx,
  type QuoteFailureCode,
} from '#modules/catalogue/index.ts';
import { generateBillReference, parseBillReference } from './bill-reference.ts';
import {
  findInvoiceRow,
  insertInvoiceInTrx,
  listAllocations,
  listInvoiceLines,
  lockInvoiceInTrx,
  markInvoiceCancelledInTrx,
  paymentsDb,
  type AllocationRow,
  type InvoiceLine,
  type InvoiceRow,
} from './invoice-repo.ts';
import {
  invoiceLifetimeMsDefault,
  invoiceLinesFor,
  invoiceLinesMax,
  type PenaltyDraft,
} from './invoice-rules.ts';
import { findOpenInvoiceIdInTrx, lockPayerServiceInTrx } from './invoice-reuse-repo.ts';
import { findWithdrawal } from './invoice-release-repo.ts';
import { deriveInvoiceStatus, type InvoiceStatus } from './invoice-status.ts';
import type { PaymentsDeps } from './payments-deps.ts';
import type { PaymentsTables } from './payments-tables.ts';

/** Random references collide about once in 10^13 draws; a few redraws are plenty. */
const referenceDrawsMax = 5;

export type CreateInvoiceInput = Readonly<{
  /** The service, by id or slug. */
  service: string;
  payerAccountId: string;
  now: Date;
  penalties?: readonly PenaltyDraft[];
  /** Defaults to 30 days after issue. */
  expiresAt?: Date;
  allowsPartPayment?: boolean;
  /** Who asks; the payer by default. */
  actor?: AuditActor;
  /**
   * Return the payer's open invoice for this service (same total, not cancelled, expired or
   * fully paid) instead of issuing another: what pressing Pay twice must do. Off by default.
   */
  reuseOpen?: boolean;
}>;

export type CreateInvoiceFailure = Failure<QuoteFailureCode | 'PAY_SERVICE_IS_FREE' |
  'PLATFORM_VALIDATION_FAILED'>;

/**
 * Issues an invoice for a service: the service fee in force now (snapshotting its version),
 * the gazetted access fee, any penalties; a fresh bill reference; audited.
 * @returns err CATALOGUE_SERVICE_NOT_FOUND, CATALOGUE_FEE_NOT_IN_FORCE,
 *   CATALOGUE_ACCESS_FEE_NOT_IN_FORCE (from the quote), PAY_SERVICE_IS_FREE (nothing to pay),
 *   PLATFORM_VALIDATION_FAILED (payer id, expiry or penalties not valid).
 */
export async function createInvoiceForService(
  deps: PaymentsDeps,
  input: CreateInvoiceInput,
): Promise<Result<InvoiceView, CreateInvoiceFailure>> {
  const prepared = await prepareInvoice(deps, input);
  if (!prepared.ok) return prepared;
  const issue = prepared.value;
  const id = await paymentsDb(deps.db).transaction().execute(async (trx) => {
    if (input.reuseOpen === true && (input.penalties ?? []).length === 0) {
      await lockPayerServiceInTrx(trx, issue);
      const open = await findOpenInvoiceIdInTrx(trx, { ...issue, now: input.now });
      if (open !== undefined) return open;
    }
    await issueInvoiceInTrx(trx, issue);
    return issue.id;
  });
  const view = await invoiceViewById(deps, id, input.now);
  if (view === undefined) throw new Error(`invoice ${id} vanished after it was issued`);
  return ok(view);
}

/**
 * createInvoiceForService in the caller's transaction, for an invoice that pays for something
 * the caller records in the same transaction (an application's submission): both commit or
 * neither. `subject` ('<kind>:<uuid>') is stored on the invoice, and each allocation to it
 * enqueues payment.allocated for the subject's owner. The fee is read outside the transaction
 * (catalogue data); reuseOpen does not apply.
 * @returns the new invoice's id and bill reference, or the failures of createInvoiceForService.
 */
export async function createInvoiceForServiceInTrx<DB>(
  trx: Transaction<DB>,
  deps: PaymentsDeps,
  input: CreateInvoiceInput & Readonly<{
    subject: string;
    /** Collects the invoice's audit event for the caller to record at the end. */
    audits?: AuditEvent[];
  }>,
): Promise<Result<Readonly<{ id: string; reference: string; total: Money }>,
  CreateInvoiceFailure>> {
  if (!/^[a-z][a-z-]*:[0-9a-f-]{36}$/.test(input.subject)) {
    return err(failure('PLATFORM_VALIDATION_FAILED', 'subject must be <kind>:<uuid>'));
  }
  // Read through the caller's transaction: on PGlite it holds the one connection.
  const prepared = await prepareInvoice({ ...deps, db: trx as unknown as PaymentsDeps['db'] },
    input);
  if (!prepared.ok) return prepared;
  const issue = { ...prepared.value, subject: input.subject };
  const reference = await issueInvoiceInTrx(paymentsTrx(trx), issue, input.audits);
  return ok({ id: issue.id, reference, total: issue.total });
}

function paymentsTrx<DB>(trx: Transaction<DB>): Transaction<PaymentsTables> {
  return trx as unknown as Transaction<PaymentsTables>;
}

/** Everything an invoice needs, from the service's fee in force at `now`. */
async function prepareInvoice(deps: PaymentsDeps, input: CreateInvoiceInput):
  Promise<Result<NewInvoiceFacts, CreateInvoiceFailure>> {
  const problem = createInputProblem(input);
  if (problem !== undefined) return err(failure('PLATFORM_VALIDATION_FAILED', problem));
  const service = await findServiceByIdOrSlug(deps, input.service);
  if (service === undefined) {
    return err(failure('CATALOGUE_SERVICE_NOT_FOUND', `no service ${input.service}`));
  }
  const quote = await quoteService(deps, service.id, input.now);
  if (!quote.ok) return quote;
  if (quote.value.total.amountMinor === 0n) {
    return err(failure('PAY_SERVICE_IS_FREE', `${service.slug} has no fee`));
  }
  const lines = invoiceLinesFor({ ...quote.value, serviceName: service.nameEn },
    input.penalties);
  if (lines.some((line) => line.amount.currency !== quote.value.total.currency)) {
    return err(failure('PLATFORM_VALIDATION_FAILED', 'penalties must be in the fee currency'));
  }
  const total = sum(lines.map((line) => line.amount), quote.value.total.currency);
  return ok({
    id: uuidv7(input.now.getTime()), serviceId: service.id, agencyId: service.agency.id,
    payerAccountId: input.payerAccountId, total,
    allowsPartPayment: input.allowsPartPayment ?? true, issuedAt: input.now,
    expiresAt: input.expiresAt ?? new Date(input.now.getTime() + invoiceLifetimeMsDefault),
    lines, feeScheduleVersion: quote.value.feeVersion.version,
    actor: input.actor ?? { kind: 'account', id: input.payerAccountId },
  });
}

type NewInvoiceFacts = Readonly<{
  id: string; serviceId: string; agencyId: string; payerAccountId: string; total: Money;
  allowsPartPayment: boolean; issuedAt: Date; expiresAt: Date;
  lines: ReturnType<typeof invoiceLinesFor>; feeScheduleVersion: number; actor: AuditActor;
  subject?: string;
}>;

/**
 * Inserts the invoice under a fresh bill reference and audits it; with `audits`, the audit
 * event is added there for the caller to record last (the audit chain's lock is then held only
 * from the transaction's last statement to its commit).
 */
async function issueInvoiceInTrx(trx: Transaction<PaymentsTables>, issue: NewInvoiceFacts,
  audits?: AuditEvent[]): Promise<string> {
  let reference = '';
  for (let draw = 0; draw < referenceDrawsMax && reference === ''; draw += 1) {
    const candidate = generateBillReference(randomBytes);
    if (await insertInvoiceInTrx(trx, { ...issue, reference: candidate })) reference = candidate;
  }
  if (reference === '') throw new Error('no free bill reference after several draws');
  // Someone is using the service: the home page lists the services most used (catalogue).
  await recordServiceDemandInTrx(trx, issue.serviceId, issue.issuedAt);
  const event: AuditEvent = {
    action: 'INVOICE_ISSUED',
    actor: issue.actor,
    subject: { type: 'invoice', id: issue.id },
    agencyId: issue.agencyId,
    detail: { reference, serviceId: issue.serviceId,
      totalMinor: issue.total.amountMinor.toString(), currency: issue.total.currency,
      feeScheduleVersion: issue.feeScheduleVersion,
      ...(issue.subject === undefined ? {} : { subject: issue.subject }) },
  };
  if (audits === undefined) await recordAuditInTrx(trx, event, issue.issuedAt);
  else audits.push(event);
  return reference;
}

function createInputProblem(input: CreateInvoiceInput): string | undefined {
  if (!isUuid(input.payerAccountId)) return 'payerAccountId must be a UUID';
  if (input.expiresAt !== undefined && input.expiresAt <= input.now) {
    return 'expiresAt must be after now';
  }
  const penalties = input.penalties ?? [];
  if (penalties.length > invoiceLinesMax - 2) return 'too many penalties';
  if (penalties.some((penalty) => penalty.amount.amountMinor <= 0n ||
    penalty.description.trim() === '')) {
    return 'each penalty needs a description and a positive amount';
  }
  return undefined;
}

/** An invoice as people and other modules see it: lines, totals, status, allocations. */
export type InvoiceView = Readonly<{
  id: string;
  reference: string;
  serviceId: string;
  agencyId: string;
  payerAccountId: string;
  lines: readonly InvoiceLine[];
  total: Money;
  /** Everything allocated to it (may exceed the total). */
  paid: Money;
  balanceDue: Money;
  /** Paid beyond the total: credited to the payer. */
  overpaid: Money;
  status: InvoiceStatus;
  allowsPartPayment: boolean;
  issuedAt: Date;
  expiresAt: Date;
  cancelledAt: Date | null;
  allocations: readonly AllocationRow[];
}>;

function toView(invoice: InvoiceRow & Readonly<{ withdrawnAt?: Date | null }>,
  lines: readonly InvoiceLine[], allocations: readonly AllocationRow[], now: Date): InvoiceView {
  const paid = sum(allocations.map((allocation) => allocation.amount), invoice.currency);
  const difference = subtract(invoice.total, paid);
  const zero = money(0n, invoice.currency);
  return {
    id: invoice.id,
    reference: invoice.reference,
    serviceId: invoice.serviceId,
    agencyId: invoice.agencyId,
    payerAccountId: invoice.payerAccountId,
    lines,
    total: invoice.total,
    paid,
    balanceDue: difference.amountMinor > 0n ? difference : zero,
    overpaid: difference.amountMinor < 0n ? money(-difference.amountMinor, invoice.currency) : zero,
    status: deriveInvoiceStatus(invoice, allocations, now),
    allowsPartPayment: invoice.allowsPartPayment,
    issuedAt: invoice.issuedAt,
    expiresAt: invoice.expiresAt,
    cancelledAt: invoice.cancelledAt,
    allocations,
  };
}

async function invoiceViewOf(deps: PaymentsDeps, invoice: InvoiceRow, now: Date):
  Promise<InvoiceView> {
  const db = paymentsDb(deps.db);
  const [lines, allocations] = [
    await listInvoiceLines(db, invoice.id), await listAllocations(db, invoice.id)];
  const withdrawal = await findWithdrawal(db, invoice.id);
  return toView({ ...invoice, withdrawnAt: withdrawal?.withdrawnAt ?? null }, lines,
    allocations, now);
}

/** The invoice a typed bill reference names (case, spaces, hyphens forgiven), if any. */
export async function findInvoiceByReference(
  deps: PaymentsDeps,
  typedReference: string,
): Promise<InvoiceRow | undefined> {
  const reference = parseBillReference(typedReference);
  if (reference === undefined) return undefined;
  return findInvoiceRow(paymentsDb(deps.db), { reference });
}

/** The invoice with its lines, totals, status at `now` and allocations; undefined if none. */
export async function invoiceView(
  deps: PaymentsDeps,
  typedReference: string,
  now: Date = deps.clock.now(),
): Promise<InvoiceView | undefined> {
  const invoice = await findInvoiceByReference(deps, typedReference);
  return invoice === undefined ? undefined : invoiceViewOf(deps, invoice, now);
}

export async function invoiceViewById(
  deps: PaymentsDeps,
  invoiceId: string,
  now: Date = deps.clock.now(),
): Promise<InvoiceView | undefined> {
  if (!isUuid(invoiceId)) return undefined;
  const invoice = await findInvoiceRow(paymentsDb(deps.db), { id: invoiceId });
  return invoice === undefined ? undefined : invoiceViewOf(deps, invoice, now);
}

export type CancelInvoiceFailure = Failure<'PAY_BILL_REFERENCE_INVALID' | 'PAY_INVOICE_NOT_FOUND' |
  'PAY_INVOICE_NOT_CANCELLABLE'>;

/**
 * Cancels an unpaid invoice (audited). A payment arriving later becomes the payer's credit.
 * @idempotent cancelling a cancelled invoice succeeds and changes nothing.
 * @returns err PAY_BILL_REFERENCE_INVALID, PAY_INVOICE_NOT_FOUND, PAY_INVOICE_NOT_CANCELLABLE
 *   (money is allocated to it, or it expired).
 */
export async function cancelInvoice(
  deps: PaymentsDeps,
  input: Readonly<{ reference: string; actor: AuditActor; now: Date }>,
): Promise<Result<InvoiceView, CancelInvoiceFailure>> {
  const reference = parseBillReference(input.reference);
  if (reference === undefined) return err(failure('PAY_BILL_REFERENCE_INVALID'));
  const outcome = await paymentsDb(deps.db).transaction().execute(async (trx) => {
    const db = trx;
    const invoice = await lockInvoiceInTrx(db, { reference });
    if (invoice === undefined) return err(failure('PAY_INVOICE_NOT_FOUND'));
    const allocatedMinor = invoice.allocatedMinor;
    const status = deriveInvoiceStatus(invoice,
      [{ amount: money(allocatedMinor, invoice.currency), allocatedAt: input.now }], input.now);
    if (status === 'cancelled') return ok(invoice);
    if (status !== 'unpaid') {
      return err(failure('PAY_INVOICE_NOT_CANCELLABLE', `the invoice is ${status}`));
    }
    await markInvoiceCancelledInTrx(db, invoice.id, input.actor.id ?? input.actor.kind, input.now);
    await auditCancellationInTrx(trx, invoice, input.actor, input.now);
    return ok(invoice);
  });
  if (!outcome.ok) return outcome;
  const view = await invoiceViewById(deps, outcome.value.id, input.now);
  if (view === undefined) throw new Error(`invoice ${outcome.value.id} vanished`);
  return ok(view);
}

async function auditCancellationInTrx(
  trx: Transaction<PaymentsTables>,
  invoice: InvoiceRow,
  actor: AuditActor,
  now: Date,
): Promise<void> {
  await recordAuditInTrx(trx, {
    action: 'INVOICE_CANCELLED',
    actor,
    subject: { type: 'invoice', id: invoice.id },
    agencyId: invoice.agencyId,
    detail: { reference: invoice.reference },
  }, now);
}
