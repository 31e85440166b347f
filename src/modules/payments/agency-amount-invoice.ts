/**
 * An invoice for an amount the agency's own system sets (the Pesaflow-compatible checkout,
 * docs/pesaflow.md), in the caller's transaction: one 'agency_bill' line of that amount,
 * payable to the agency, and the gazetted access fee on it (revenue remitted to Treasury), on
 * top. It is an ordinary invoice otherwise: a fresh bill reference, the same ledger, the same
 * receipts; `subject` ('<kind>:<uuid>') is stored on it like createInvoiceForServiceInTrx's.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor, type AuditEvent } from '#modules/audit/index.ts';
import { accessFeeFor, recordServiceDemandInTrx } from '#modules/catalogue/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { add, type Money } from '#platform/money/index.ts';
import { generateBillReference } from './bill-reference.ts';
import { insertInvoiceInTrx, paymentsDb } from './invoice-repo.ts';
import type { InvoiceLineDraft } from './invoice-rules.ts';
import type { PaymentsDeps } from './payments-deps.ts';

const referenceDrawsMax = 5;

export type AgencyAmountInvoiceInput = Readonly<{
  serviceId: string;
  agencyId: string;
  payerAccountId: string;
  /** What the agency is owed (the agency_bill line); the access fee is added on top. */
  amount: Money;
  /** The agency_bill line's words (at most 200 characters are kept). */
  description: string;
  subject: string;
  now: Date;
  expiresAt: Date;
  allowsPartPayment: boolean;
  actor: AuditActor;
  /** Collects the invoice's audit event for the caller to record at the end. */
  audits?: AuditEvent[];
}>;

export type AgencyAmountInvoice = Readonly<{
  id: string; reference: string; total: Money; accessFee: Money;
}>;

export type AgencyAmountInvoiceFailure = Failure<'CATALOGUE_ACCESS_FEE_NOT_IN_FORCE' |
  'PLATFORM_VALIDATION_FAILED'>;

function inputProblem(input: AgencyAmountInvoiceInput): string | undefined {
  if (!isUuid(input.payerAccountId) || !isUuid(input.serviceId) || !isUuid(input.agencyId)) {
    return 'service, agency and payer must be UUIDs';
  }
  if (!/^[a-z][a-z-]*:[0-9a-f-]{36}$/.test(input.subject)) return 'subject must be <kind>:<uuid>';
  if (input.amount.amountMinor <= 0n) return 'the amount must be positive';
  if (input.expiresAt <= input.now) return 'expiresAt must be after now';
  if (input.description.trim() === '') return 'the description must not be empty';
  return undefined;
}

/**
 * Issues the invoice in `trx` (the access fee is priced through it: on PGlite it holds the one
 * connection). @returns err PLATFORM_VALIDATION_FAILED or CATALOGUE_ACCESS_FEE_NOT_IN_FORCE.
 */
export async function createAgencyAmountInvoiceInTrx<DB>(
  trx: Transaction<DB>,
  deps: PaymentsDeps,
  input: AgencyAmountInvoiceInput,
): Promise<Result<AgencyAmountInvoice, AgencyAmountInvoiceFailure>> {
  const problem = inputProblem(input);
  if (problem !== undefined) return err(failure('PLATFORM_VALIDATION_FAILED', problem));
  const db = trx as unknown as Kysely<unknown>;
  const accessFee = await accessFeeFor({ ...deps, db: db as PaymentsDeps['db'] }, input.amount,
    input.now);
  if (!accessFee.ok) return accessFee;
  const lines: InvoiceLineDraft[] = [{ kind: 'agency_bill',
    description: input.description.slice(0, 200), amount: input.amount,
    feeScheduleVersionId: null, feeScheduleVersion: null, accessFeeScheduleId: null,
    gazetteReference: null }];
  if (accessFee.value.amountMinor > 0n) {
    lines.push({ kind: 'access_fee', description: 'Access fee', amount: accessFee.value,
      feeScheduleVersionId: null, feeScheduleVersion: null, accessFeeScheduleId: null,
      gazetteReference: null });
  }
  const total = add(input.amount, accessFee.value);
  const id = uuidv7(input.now.getTime());
  const payments = paymentsDb(db);
  let reference = '';
  for (let draw = 0; draw < referenceDrawsMax && reference === ''; draw += 1) {
    const candidate = generateBillReference(randomBytes);
    if (await insertInvoiceInTrx(payments, { id, reference: candidate,
      serviceId: input.serviceId, agencyId: input.agencyId,
      payerAccountId: input.payerAccountId, total, allowsPartPayment: input.allowsPartPayment,
      issuedAt: input.now, expiresAt: input.expiresAt, lines, subject: input.subject })) {
      reference = candidate;
    }
  }
  if (reference === '') throw new Error('no free bill reference after several draws');
  await recordServiceDemandInTrx(trx, input.serviceId, input.now);
  const event: AuditEvent = { action: 'INVOICE_ISSUED', actor: input.actor,
    subject: { type: 'invoice', id }, agencyId: input.agencyId,
    detail: { reference, serviceId: input.serviceId, totalMinor: total.amountMinor.toString(),
      currency: total.currency, agencySetAmount: true, subject: input.subject } };
  if (input.audits === undefined) await recordAuditInTrx(trx, event, input.now);
  else input.audits.push(event);
  return ok({ id, reference, total, accessFee: accessFee.value });
}
