/**
 * Bills an agent makes in an assisted session. The invoice is the citizen's (payer = the
 * citizen's account; the government fee only, exactly as the citizen would pay it alone); the
 * link to the agent and the agent's fee is a row of assisted_transaction, never a line of the
 * invoice nor an entry of the ledger. The fee is refused above the published cap. The citizen
 * is told both amounts apart by SMS; the M-Pesa prompt goes to the citizen's registered phone.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf, type StaffActor } from '#modules/authorisation/index.ts';
import { findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import {
  cancelInvoice,
  createInvoiceForService,
  initiateStkPush,
  invoiceViewById,
  type InitiateStkFailure,
  type InvoiceView,
  type StkDeps,
  type StkPushView,
} from '#modules/payments/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { format, money, type Money } from '#platform/money/index.ts';
import type { AssistedDeps } from './agent-register-service.ts';
import type { AssistedErrorCode } from './assisted-errors.ts';
import { assistedDb, type AssistedTransactionTable } from './assisted-tables.ts';
import { liveSession, type AssistedSession } from './consent-service.ts';
import { listFeeCaps } from './fee-cap-service.ts';
import { capInForce, isWithinCap, kenyanDateOf, parseShillings } from './fee-rules.ts';

type Fail = Failure<AssistedErrorCode>;

export type AssistedBill = Readonly<{
  id: string;
  session: AssistedSession;
  invoice: InvoiceView;
  agentFee: Money;
  agentFeeCap: Money;
  createdAt: Date;
}>;

export type NewAssistedBill = Readonly<{
  agent: StaffActor;
  sessionId: string;
  service: string;
  agentFee: string;
  requestKey: string;
  now: Date;
}>;

/** The agent fee for a service, checked against the cap in force. */
export async function checkedFee(deps: AssistedDeps, serviceId: string, typed: string, now: Date):
  Promise<Result<{ fee: Money; cap: Money }, Fail>> {
  const fee = parseShillings(typed);
  if (fee === undefined) return err(failure('ASSISTED_FEE_INVALID'));
  const cap = capInForce(await listFeeCaps(deps), serviceId, kenyanDateOf(now));
  if (cap === undefined) return err(failure('ASSISTED_FEE_NO_CAP'));
  if (!isWithinCap(fee, cap.cap)) {
    return err(failure('ASSISTED_FEE_ABOVE_CAP', format(cap.cap)));
  }
  return ok({ fee, cap: cap.cap });
}

async function existingBill(deps: AssistedDeps, requestKey: string):
  Promise<AssistedTransactionTable | undefined> {
  return assistedDb(deps.db).selectFrom('assisted_transaction').selectAll()
    .where('request_key', '=', requestKey).executeTakeFirst();
}

/**
 * Makes the citizen's bill for a service without a form, through the agent (a service with
 * a form is applied for: ASSISTED_SERVICE_NEEDS_FORM carries its id, see
 * startAssistedApplication).
 * @idempotent with requestKey: the same form sent twice makes one bill.
 * @returns err ASSISTED_SESSION_NOT_ACTIVE, ASSISTED_SERVICE_NOT_AVAILABLE,
 *   ASSISTED_SERVICE_NEEDS_FORM, ASSISTED_FEE_INVALID, ASSISTED_FEE_NO_CAP,
 *   ASSISTED_FEE_ABOVE_CAP (detail: the cap).
 */
export async function makeAssistedBill(deps: AssistedDeps, input: NewAssistedBill):
  Promise<Result<{ billId: string }, Fail>> {
  const session = await liveSession(deps, input.agent, input.sessionId, input.now);
  if (!session.ok) return session;
  if (!isUuid(input.requestKey)) return err(failure('ASSISTED_SERVICE_NOT_AVAILABLE'));
  const known = await existingBill(deps, input.requestKey);
  if (known !== undefined) return ok({ billId: known.id });
  const service = input.service.trim() === '' ? undefined
    : await findServiceByIdOrSlug(deps, input.service.trim());
  if (service === undefined) return err(failure('ASSISTED_SERVICE_NOT_AVAILABLE'));
  if (service.hasApplicationForm) return err(failure('ASSISTED_SERVICE_NEEDS_FORM', service.id));
  const fee = await checkedFee(deps, service.id, input.agentFee, input.now);
  if (!fee.ok) return fee;
  const actor = auditActorOf(input.agent);
  const citizen = session.value.citizen;
  const invoice = await createInvoiceForService(deps, { service: service.id,
    payerAccountId: citizen.id, now: input.now, actor });
  if (!invoice.ok) return err(failure('ASSISTED_SERVICE_NOT_AVAILABLE', invoice.error.code));
  const billId = uuidv7(input.now.getTime());
  const linked = await assistedDb(deps.db).transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('assisted_transaction').values({ id: billId,
      consent_id: session.value.id, request_key: input.requestKey,
      agent_staff_id: input.agent.staffId, citizen_account_id: citizen.id,
      invoice_id: invoice.value.id, service_id: service.id, agency_id: service.agency.id,
      agent_fee_minor: fee.value.fee.amountMinor, agent_fee_cap_minor: fee.value.cap.amountMinor,
      currency: 'KES', created_at: input.now })
      .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
    if (inserted === undefined) return false;
    if (citizen.phone !== null) {
      await enqueueNotificationInTrx(trx, { channel: 'sms', to: citizen.phone,
        template: 'assisted.fee-summary', language: citizen.language, accountId: citizen.id,
        params: { billReference: invoice.value.reference,
          governmentFee: format(invoice.value.total, citizen.language),
          agentFee: format(fee.value.fee, citizen.language),
          agentNumber: session.value.agent.agentNumber } }, input.now);
    }
    await recordAuditInTrx(trx, { action: 'ASSISTED_BILL_MADE', actor,
      onBehalfOf: { kind: 'account', id: citizen.id }, agencyId: service.agency.id,
      subject: { type: 'invoice', id: invoice.value.id },
      detail: { agentFeeMinor: fee.value.fee.amountMinor.toString(),
        sessionId: session.value.id } },
    input.now);
    return true;
  });
  if (linked) return ok({ billId });
  // The same form raced in another request, which linked its own bill: this one goes.
  await cancelInvoice(deps, { reference: invoice.value.reference, actor, now: input.now });
  const winner = await existingBill(deps, input.requestKey);
  if (winner === undefined) throw new Error('a bill request key conflicted and vanished');
  return ok({ billId: winner.id });
}

/** A bill of this agent's live session. @returns err as liveSession, or TRANSACTION_NOT_FOUND. */
export async function assistedBill(deps: AssistedDeps, agent: StaffActor, sessionId: string,
  billId: string, now: Date): Promise<Result<AssistedBill, Fail>> {
  const session = await liveSession(deps, agent, sessionId, now);
  if (!session.ok) return session;
  const row = !isUuid(billId) ? undefined : await assistedDb(deps.db)
    .selectFrom('assisted_transaction').selectAll().where('id', '=', billId)
    .where('consent_id', '=', sessionId).executeTakeFirst();
  const invoice = row === undefined ? undefined : await invoiceViewById(deps, row.invoice_id, now);
  if (row === undefined || invoice === undefined) {
    return err(failure('ASSISTED_TRANSACTION_NOT_FOUND'));
  }
  return ok({ id: row.id, session: session.value, invoice,
    agentFee: money(BigInt(row.agent_fee_minor), row.currency),
    agentFeeCap: money(BigInt(row.agent_fee_cap_minor), row.currency), createdAt: row.created_at });
}

/**
 * Sends the M-Pesa prompt for the bill's balance to the citizen's registered phone (never a
 * number the agent types). @idempotent per bill and balance.
 */
export async function promptCitizen(deps: AssistedDeps & StkDeps, agent: StaffActor,
  sessionId: string, billId: string, now: Date):
  Promise<Result<StkPushView, Fail | InitiateStkFailure>> {
  const bill = await assistedBill(deps, agent, sessionId, billId, now);
  if (!bill.ok) return bill;
  const phone = bill.value.session.citizen.phone;
  if (phone === null) return err(failure('ASSISTED_CITIZEN_PHONE_NOT_ON_FILE'));
  return initiateStkPush(deps, { invoiceReference: bill.value.invoice.reference, phone,
    requestedBy: `assisted-agent:${agent.staffId}`,
    requestKey: `assisted:${billId}:${bill.value.invoice.balanceDue.amountMinor.toString()}`,
    now });
}
