/**
 * Receipts are issued when money is allocated: every allocation enqueues payments.receipt-issue
 * in its own transaction (a trigger on payment_allocation, migration 202612031200), and this
 * consumer issues the receipt through documents. Idempotent (one receipt per allocation, by
 * source key), so a retried or repeated event changes nothing. The receipt states when the
 * provider says the money moved (TransTime, TransactionDate), not when we recorded it; money
 * from the payer's credit is dated when it was applied.
 */
import type { Database } from '#platform/db/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { OutboxPermanentFailure, type OutboxHandler } from '#platform/outbox/index.ts';
import { findServiceById } from '#modules/catalogue/index.ts';
import { issueReceipt, type ReceiptDraft, type ReceiptRecord } from '#modules/documents/index.ts';
import { findAllocationReceiptFacts, type AllocationReceiptFacts }
  from './allocation-receipt-repo.ts';
import { findAccountNames } from './account-names-repo.ts';
import { listInvoiceLines, paymentsDb } from './invoice-repo.ts';

export const receiptIssueTopic = 'payments.receipt-issue';

export type ReceiptIssueDeps = Readonly<{ db: Database; clock: Readonly<{ now: () => Date }> }>;

/** The receipt's source key: one receipt per allocation. */
export function allocationReceiptKey(allocationId: string): string {
  return `payments:allocation:${allocationId}`;
}

async function draftOf(deps: ReceiptIssueDeps, facts: AllocationReceiptFacts):
  Promise<ReceiptDraft> {
  const service = await findServiceById(deps, facts.serviceId);
  const lines = await listInvoiceLines(paymentsDb(deps.db), facts.invoiceId);
  const requestedBy = facts.requestedBy ?? facts.payerAccountId;
  const names = await findAccountNames(deps.db, [facts.payerAccountId, requestedBy]);
  const payerName = names.get(facts.payerAccountId) ?? null;
  const requesterName = names.get(requestedBy) ?? null;
  return {
    sourceKey: allocationReceiptKey(facts.allocationId),
    invoiceId: facts.invoiceId,
    invoiceReference: facts.invoiceReference,
    payerAccountId: facts.payerAccountId,
    agencyId: facts.agencyId,
    agencyName: service?.agency.nameEn ?? facts.agencyId,
    serviceName: service?.nameEn ?? facts.firstLineDescription ?? facts.invoiceReference,
    amount: facts.amount,
    channel: facts.source === 'payer_credit' ? 'payer_credit' : facts.channel ?? 'other',
    providerReference: facts.providerReference,
    paidAt: facts.paidAt ?? facts.allocatedAt,
    details: {
      payerName,
      // Named only when someone paid for another account (a dependant, a business).
      paidByName: requestedBy === facts.payerAccountId ? null : requesterName,
      serviceNameSw: service?.nameSw ?? null,
      agencyNameSw: service?.agency.nameSw ?? null,
      billLines: lines.map((line) => ({ kind: line.kind, amount: line.amount })),
      nextStepEn: service?.nextStepEn ?? null,
      nextStepSw: service?.nextStepSw ?? null,
    },
  };
}

/**
 * Issues the receipt of an allocation, or returns the one issued before.
 * @idempotent with (allocationId).
 * @returns undefined when no allocation has this id.
 */
export async function issueAllocationReceipt(deps: ReceiptIssueDeps, allocationId: string):
  Promise<ReceiptRecord | undefined> {
  if (!isUuid(allocationId)) return undefined;
  const facts = await findAllocationReceiptFacts(paymentsDb(deps.db), allocationId);
  if (facts === undefined) return undefined;
  return issueReceipt(deps, await draftOf(deps, facts), deps.clock.now());
}

export function receiptIssueHandler(deps: ReceiptIssueDeps): OutboxHandler {
  return async (event) => {
    const payload = event.payload as Readonly<Record<string, unknown>> | null;
    const allocationId = typeof payload === 'object' && payload !== null
      ? payload['allocationId'] : undefined;
    if (typeof allocationId !== 'string') {
      throw new OutboxPermanentFailure(`malformed ${event.topic} payload`);
    }
    const receipt = await issueAllocationReceipt(deps, allocationId);
    // The event is written in the allocation's own transaction, so the allocation exists.
    if (receipt === undefined) {
      throw new OutboxPermanentFailure(`no allocation ${allocationId}`);
    }
  };
}
