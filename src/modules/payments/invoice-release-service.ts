/**
 * Releasing a paid bill (docs/refunds.md, "A paid bill"): payments cannot know whether the
 * subject of an invoice (an application) will still be served, so the subject's owner says so.
 * A released bill may be refunded for the wrong service (requestRefund with invoiceId); until
 * then its money stays recognised for the agency. Nothing moves on release.
 */
import type { Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import {
  insertReleaseInTrx,
  invoiceSubject,
  type InvoiceReleaseReason,
} from './invoice-release-repo.ts';

export type { InvoiceReleaseReason } from './invoice-release-repo.ts';

export type InvoiceReleaseInput = Readonly<{
  invoiceId: string;
  reason: InvoiceReleaseReason;
  actor: AuditActor;
  now: Date;
}>;

function principal(actor: AuditActor): string {
  return actor.id === null ? actor.kind : `${actor.kind}:${actor.id}`;
}

/**
 * Records, in the caller's transaction (the cancel or reject action), that the invoice's
 * subject will not be served; audited. @idempotent: the first release of an invoice stands.
 * @returns 'released', 'already-released', or 'no-subject' (a fee-only bill needs no release)
 *   or 'not-found' (nothing written).
 */
export async function releaseInvoiceInTrx<DB>(trx: Transaction<DB>, input: InvoiceReleaseInput):
  Promise<'released' | 'already-released' | 'no-subject' | 'not-found'> {
  if (!isUuid(input.invoiceId)) return 'not-found';
  const subject = await invoiceSubject(trx, input.invoiceId);
  if (subject === undefined) return 'not-found';
  if (subject === null) return 'no-subject';
  const inserted = await insertReleaseInTrx(trx, { invoiceId: input.invoiceId,
    reason: input.reason, releasedBy: principal(input.actor), releasedAt: input.now });
  if (!inserted) return 'already-released';
  await recordAuditInTrx(trx, {
    action: 'INVOICE_RELEASED', actor: input.actor,
    subject: { type: 'invoice', id: input.invoiceId },
    detail: { reason: input.reason, subject },
  }, input.now);
  return 'released';
}
