/**
 * Receipts are issued when money is allocated: every allocation enqueues payments.receipt-issue
 * in its own transaction (a trigger on payment_allocation, migration 202612031200), and this
 * consumer issues the receipt through documents. Idempotent (one receipt per allocation, by
 * source key), so a retried or repeated event changes nothing. The receipt states when the
 * provider says the money moved (TransTime, TransactionDate), not when we recorded it; money
 * from the payer's credit is dated when it was applied.
 */
import type { Transaction } from 'kysely';
import type { Database, PlatformTables } from '#platform/db/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { OutboxPermanentFailure, type OutboxHandler } from '#platform/outbox/index.ts';
import { findServiceById } from '#modules/catalogue/index.ts';
import {
  documentsPaths,
  issueReceiptTellingNew,
  type ReceiptDraft,
  type ReceiptRecord,
} from '#modules/documents/index.ts';
import { findAccountContactsInTrx } from '#modules/identity/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { findAllocationReceiptFacts, type AllocationReceiptFacts }
  from './allocation-receipt-repo.ts';
import { findAccountNames } from './account-names-repo.ts';
import { listInvoiceLines, paymentsDb } from './invoice-repo.ts';

export const receiptIssueTopic = 'payments.receipt-issue';

export type ReceiptIssueDeps = Readonly<{
  db: Database;
  clock: Readonly<{ now: () => Date }>;
  /** Where links in messages point; without it, the payer is not told (tests of issuing). */
  config?: Readonly<{ publicBaseUrl: string }>;
}>;

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
      // An agency's own bill (bill inquiry) is the agency's fee, shown as a service fee.
      billLines: lines.map((line) => ({
        kind: line.kind === 'agency_bill' ? 'service_fee' : line.kind, amount: line.amount })),
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
  const draft = await draftOf(deps, facts);
  const now = deps.clock.now();
  // The receipt and the message to the payer commit together: told once, and only if issued.
  return deps.db.transaction().execute(async (trx) => {
    const { receipt, issued } = await issueReceiptTellingNew({ db: trx }, draft, now);
    if (issued && deps.config !== undefined) {
      await tellPayerInTrx(trx, receipt, deps.config.publicBaseUrl, now);
    }
    return receipt;
  });
}

/**
 * The payment's message with Huduma's receipt (payments.receipt-issued): the service in the
 * reader's language, whom it was paid for, the receipt number and its short link, where the
 * agency, the fee split and the next step are. To the payer's contact, or for an account
 * nobody signs in to (a child, a business), its representative's.
 */
async function tellPayerInTrx(trx: Transaction<PlatformTables>, receipt: ReceiptRecord,
  publicBaseUrl: string, now: Date): Promise<void> {
  const contact = (await findAccountContactsInTrx(trx, [receipt.payerAccountId]))
    .get(receipt.payerAccountId);
  if (contact === undefined || receipt.details.payerName === null) return;
  await enqueueNotificationInTrx(trx, {
    channel: contact.channel, to: contact.to, template: 'payments.receipt-issued',
    language: contact.language, accountId: receipt.payerAccountId,
    params: receiptMessageParams(receipt, contact.language, publicBaseUrl),
  }, now);
}

/** The parameters of payments.receipt-issued for a receipt, in a language. Pure. */
export function receiptMessageParams(receipt: ReceiptRecord, language: 'en' | 'sw',
  publicBaseUrl: string): Record<string, string> {
  const service = language === 'sw' && receipt.details.serviceNameSw !== null
    ? receipt.details.serviceNameSw : receipt.serviceName;
  return {
    service, payer: receipt.details.payerName ?? '', receiptNumber: receipt.number,
    url: `${publicBaseUrl}${documentsPaths.receiptByNumber(receipt.number)}`,
  };
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
