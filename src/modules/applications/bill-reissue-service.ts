/**
 * A new bill for an application whose bill expired unpaid (bills lapse 30 days after issue):
 * the 'reissue' action, which leaves the application awaiting payment with the new bill. The
 * old bill takes no more money (a payment made after its expiry becomes the payer's credit);
 * a payment made before its expiry and confirmed late still pays the application
 * (payment-allocated-handler.ts), which then cancels the newer bill if nothing was paid on it.
 */
import { recordAuditsInTrx, type AuditEvent } from '#modules/audit/index.ts';
import { createInvoiceForServiceInTrx, invoiceViewById } from '#modules/payments/index.ts';
import { err, failure, ok, type Result } from '#platform/errors/index.ts';
import {
  actOrRollBack,
  inActionTransaction,
  type ActFailure,
  type Acted,
} from './action-engine.ts';
import { applicationNotice } from './application-facts.ts';
import { applicationsDb, findApplication } from './application-repo.ts';
import {
  inTrx,
  type ApplicantActor,
  type ApplicationsDeps,
} from './application-service.ts';

export async function reissueBill(
  deps: ApplicationsDeps,
  input: Readonly<{ applicationId: string; who: ApplicantActor; clientActionId: string;
    now: Date }>,
): Promise<Result<Acted, ActFailure>> {
  const db = applicationsDb(deps.db);
  const application = await findApplication(db, input.applicationId);
  if (application === undefined) return err(failure('APPLICATION_NOT_FOUND'));
  const notice = await applicationNotice(deps, application);
  return inActionTransaction(db, async (trx) => {
    const audits: AuditEvent[] = [];
    const acted = await actOrRollBack(trx, { applicationId: application.id,
      clientActionId: input.clientActionId, kind: 'reissue',
      actor: { kind: 'account', id: input.who.accountId }, now: input.now, audits },
    async (inner, _application, state) => {
      const current = state.invoiceId === null ? undefined
        : await invoiceViewById(inTrx(deps, inner), state.invoiceId, input.now);
      if (current?.status !== 'expired') {
        return err(failure('APPLICATION_ACTION_NOT_ALLOWED', 'the bill has not expired'));
      }
      const invoice = await createInvoiceForServiceInTrx(inner, deps, {
        service: application.serviceId, payerAccountId: application.applicantAccountId,
        now: input.now, subject: `application:${application.id}`, audits,
        actor: { kind: 'account', id: input.who.accountId },
      });
      if (!invoice.ok) {
        return err(failure('APPLICATION_ACTION_NOT_ALLOWED', invoice.error.code));
      }
      return ok({ patch: { invoice_id: invoice.value.id },
        detail: { invoiceId: invoice.value.id, billReference: invoice.value.reference,
          replaces: current.id } });
    }, notice);
    await recordAuditsInTrx(trx, audits, input.now);
    return acted;
  });
}
