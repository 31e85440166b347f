/**
 * Payments: invoices and their bill references, M-Pesa ingest (C2B validation and
 * confirmation, STK push and callbacks), exactly-once crediting into the ledger, suspense and
 * payer credit. The citizen pay pages live in ./pages and use only this surface.
 *
 * Invoices (all amounts are Money: bigint minor units + currency):
 * - createInvoiceForService(deps, { service: id|slug, payerAccountId, now, penalties?,
 *   expiresAt?, allowsPartPayment?, actor?, reuseOpen? }) -> Result<InvoiceView>: the service
 *   fee in force (its fee-schedule version snapshotted), the gazetted access fee, penalties; a
 *   fresh bill reference; audited. With reuseOpen, the payer's open invoice for the service
 *   (same total) instead, if any: pressing Pay twice, even at once, makes one bill. Fails
 *   with CATALOGUE_SERVICE_NOT_FOUND, CATALOGUE_FEE_NOT_IN_FORCE,
 *   CATALOGUE_ACCESS_FEE_NOT_IN_FORCE, PAY_SERVICE_IS_FREE, PLATFORM_VALIDATION_FAILED.
 * - findInvoiceByReference(deps, typed) -> InvoiceRow | undefined: forgives case, spaces,
 *   hyphens and O/I/L typed for 0/1; a reference whose check symbol fails finds nothing.
 * - invoiceView(deps, typed, now?) / invoiceViewById(deps, id, now?) -> InvoiceView |
 *   undefined: lines, total, paid, balanceDue, overpaid, status (derived at `now`), and the
 *   allocations with their M-Pesa receipt number and channel.
 * - cancelInvoice(deps, { reference, actor, now }): unpaid invoices only (idempotent).
 * - releaseInvoiceInTrx(trx, { invoiceId, reason, actor, now }): the subject's owner (an
 *   application cancelled or rejected) releases its paid bill, in its own transaction, so the
 *   bill may be refunded for the wrong service (docs/refunds.md). Idempotent; moves nothing.
 * - payerCreditBalance(deps, payerAccountId, currency?) -> Money.
 * - listAgencyPayments(deps, { agencyId, from, to, after?, limit }) -> AgencyPayment[]: payments
 *   to an agency's invoices by paid time (keyset paging), for the agency integration API.
 * - listPaymentsFromPhone(deps, { phone, since, limit }) -> the paid STK prompts sent to a phone,
 *   newest first (bill reference, amount, receipt, time; nobody's details): USSD's menu 4.
 * - payInvoiceFromCredit(deps, { invoiceReference, payerAccountId, now }) -> Result<InvoiceView>:
 *   pays as much of the payer's own invoice as their credit covers.
 * - checkBooks(db, options?) -> BooksCheckReport: `huduma ledger check`, the ledger's own
 *   invariants (checkLedger) and those tying it to invoices, payer credit, suspense and
 *   payments; findings name the invoice, payer or payment.
 * - Bill inquiry (bill-inquiry/, docs/bill-inquiry.md): saveBillInquiryRoute(deps, { scope,
 *   agencyId?, prefix, service, lookupUrl, timeoutMs, fallback, allowsPartPayment, production,
 *   actor, now }) -> Result<{ route, secret? }> (secret only when registered; audited),
 *   rotateBillInquirySecret, listBillInquiryRoutes. C2B validation of a
 *   routed reference asks the agency; its confirmation makes the bill's invoice first.
 * - Pure helpers: parseBillReference, normaliseBillReferenceInput, deriveInvoiceStatus,
 *   invoiceStatuses, invoiceTransitions.
 *
 * - Card payments (docs/cards.md, decision 0012; the channel-cards module speaks the acquirer):
 *   storeCardCallback (verbatim, committed first), recordCardPayment (exactly once per acquirer
 *   payment id: Dr collection:card:<provider>), closeCardCallback; card refunds are sent by
 *   the consumer of cardRefundSendTopic through cardRefundOrder, markCardRefundSent,
 *   failCardRefundAttempt and settleCardRefund. The pay page's card button posts to
 *   payPaths.card, served by channel-cards.
 *
 * `deps` is { db, clock, logger } (ModuleDeps satisfies it).
 * Outbox: payments enqueues and consumes `payments.stk-query`, `payments.expiry-reapply` and
 * `payments.receipt-issue` (one per allocation, written by a trigger in the allocating
 * transaction; its consumer issues the receipt through documents). It enqueues
 * `payment.allocated` (paymentAllocatedTopic) for each allocation to an invoice issued with a
 * subject (createInvoiceForServiceInTrx), written by a trigger in the allocating transaction;
 * the subject's owner consumes it (applications; docs/decisions/0005).
 */
import type { HudumaModule } from '#platform/module.ts';
import { joinBundles } from '#web/index.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { paymentsErrors } from './payments-errors.ts';
import { callbackSweepJob, paymentsRoutes, stkDepsFor } from './payments-routes.ts';
import { receiptIssueHandler, receiptIssueTopic } from './allocation-receipt-service.ts';
import { expiryReapplyHandler, expiryReapplyTopic } from './expiry-reapply-service.ts';
import { stkQueryHandler } from './stk-query-worker.ts';
import { paymentAllocatedTopic } from './payment-allocated-event.ts';
import { stkQueryTopic } from './stk-service.ts';
import { payPageMessages, payPageRoutes } from './pages/index.ts';
import { billInquiryErrors } from './bill-inquiry/index.ts';
import {
  refundErrors,
  refundOutboxHandlers,
  refundOutboxTopics,
  refundPaths,
  refundRoutes,
  refundsEn,
  refundsSw,
} from './refunds/index.ts';
import {
  suspenseEn,
  suspenseErrors,
  suspensePageRoutes,
  suspensePaths,
  suspenseSw,
} from './suspense/index.ts';

export {
  billInquiryErrors,
  listBillInquiryRoutes,
  lookupBody,
  lookupTimeoutMsDefault,
  lookupTimeoutMsMax,
  lookupTimeoutMsMin,
  rotateBillInquirySecret,
  saveBillInquiryRoute,
  signLookup,
  type BillInquiryErrorCode,
  type BillInquiryFailure,
  type BillInquiryFallback,
  type BillInquiryRoute,
  type SaveBillInquiryInput,
  type SavedBillInquiry,
} from './bill-inquiry/index.ts';
export { listAllocationsSince, type AgencyAllocationEvent } from './agency-events.ts';
export {
  closeCardCallback,
  recordCardPayment,
  storeCardCallback,
  type CardCallbackInput,
  type CardCallbackKind,
  type CardPaymentFact,
  type CardPaymentRecorded,
} from './card-payments.ts';
export {
  createAgencyAmountInvoiceInTrx,
  type AgencyAmountInvoice,
  type AgencyAmountInvoiceFailure,
  type AgencyAmountInvoiceInput,
} from './agency-amount-invoice.ts';
export { listPaidRefundsSince, type AgencyRefundEvent } from './agency-refund-events.ts';
export {
  listAgencyPayments,
  type AgencyPayment,
  type AgencyPaymentsQuery,
} from './agency-payments.ts';
export {
  billReferenceAlphabet,
  billReferenceLengthMax,
  generateBillReference,
  normaliseBillReferenceInput,
  parseBillReference,
  type BillReference,
} from './bill-reference.ts';
export {
  checkBooks,
  invoiceBooksFindings,
  type BooksCheckReport,
  type BooksFinding,
  type BooksFindingRule,
} from './books-check-service.ts';
export {
  payerCreditBalance,
  payInvoiceFromCredit,
  type PayFromCreditFailure,
} from './credit-service.ts';
export type { AllocationRow, InvoiceLine, InvoiceRow } from './invoice-repo.ts';
export {
  releaseInvoiceInTrx,
  type InvoiceReleaseInput,
  type InvoiceReleaseReason,
} from './invoice-release-service.ts';
export {
  cancelInvoice,
  createInvoiceForService,
  createInvoiceForServiceInTrx,
  findInvoiceByReference,
  invoiceView,
  invoiceViewById,
  type CancelInvoiceFailure,
  type CreateInvoiceFailure,
  type CreateInvoiceInput,
  type InvoiceView,
} from './invoice-service.ts';
export {
  deriveInvoiceStatus,
  invoiceStatuses,
  invoiceTransitions,
  type InvoiceStatus,
  type InvoiceTransition,
} from './invoice-status.ts';
export {
  createDarajaClient,
  type DarajaClient,
  type DarajaClientOptions,
} from './mpesa/index.ts';
export { receiptIssueTopic } from './allocation-receipt-service.ts';
export {
  paymentAllocatedTopic,
  readPaymentAllocatedEvent,
  type PaymentAllocatedEvent,
} from './payment-allocated-event.ts';
export { sweepUnprocessedCallbacks, type SweepReport } from './ingest-sweep.ts';
// bench/batch-cost drives the batcher in-process to price a batch apart from its payments.
export { createIngestBatcher, type IngestBatcher } from './ingest-batcher.ts';
export type { RawCallback } from './payment-repo.ts';
// The pay page's card button posts to payPaths.card, which channel-cards serves (docs/cards.md).
export { payersInvoice, payPaths, signedInAccountIdOf } from './pages/index.ts';
export {
  recordStatementPaymentsInTrx,
  type StatementPayment,
  type StatementPaymentOutcome,
} from './statement-payments.ts';
export type { PaymentState } from './payment-notices.ts';
export { callbackSweepJob, darajaClientFor, ingestContextFor } from './payments-routes.ts';
export { findPaymentByReceipt, type PaymentView } from './payment-service.ts';
export {
  listPaymentsFromPhone,
  phonePaymentsLimitMax,
  type PhonePayment,
  type PhonePaymentsQuery,
} from './phone-payments.ts';
export type { PaymentsDeps } from './payments-deps.ts';
export { stkDepsFor } from './payments-routes.ts';
export {
  initiateStkPush,
  stkPushView,
  type InitiateStkFailure,
  type InitiateStkInput,
  type StkDeps,
  type StkPushView,
} from './stk-service.ts';
export {
  deriveStkPushState,
  stkFailureReasons,
  stkPaymentStatus,
  type StkFailureReason,
  type StkPaymentStatus,
  type StkPushState,
} from './stk-status.ts';
export { paymentsErrors, type PaymentsErrorCode } from './payments-errors.ts';
export {
  suspenseErrors,
  suspensePaths,
  type SuspenseErrorCode,
  type SuspenseFailure,
  type SuspenseMatchRow,
} from './suspense/index.ts';
export {
  decideSuspenseMatch,
  findMatchCandidate,
  proposeSuspenseMatch,
  type MatchCandidate,
} from './suspense/index.ts';
export type { PaymentsTables } from './payments-tables.ts';
// Card refunds: channel-cards consumes cardRefundSendTopic and reports back (docs/cards.md).
export {
  cardRefundOrder,
  cardRefundSendTopic,
  failCardRefundAttempt,
  markCardRefundSent,
  settleCardRefund,
  type CardRefundOrder,
  type CardRefundSettled,
} from './refunds/index.ts';
export {
  approveRefund,
  cancelRefund,
  refundCallbackPaths,
  refundErrors,
  rejectRefund,
  requestRefund,
  retryRefund,
  type RefundErrorCode,
  type RefundFailure,
  type RefundRow,
  type RefundStatus,
} from './refunds/index.ts';

export const paymentsModule: HudumaModule = {
  name: 'payments',
  errors: { ...paymentsErrors, ...suspenseErrors, ...refundErrors, ...billInquiryErrors },
  messages: joinBundles([{ en, sw }, payPageMessages, { en: suspenseEn, sw: suspenseSw },
    { en: refundsEn, sw: refundsSw }]),
  routes: async (app, deps) => {
    await paymentsRoutes(app, deps);
    await payPageRoutes(app, deps);
    await refundRoutes(app, deps);
    await suspensePageRoutes(app, deps);
  },
  staffNavigation: [{ href: suspensePaths.page, labelKey: 'payments.suspense.nav',
    permission: 'reconciliation.read' },
  { href: refundPaths.page, labelKey: 'payments.refunds.nav', permission: 'payments.read' }],
  // payment.allocated is written by a trigger for invoices with a subject; its consumer is the
  // module that owns the subject (applications).
  outboxTopics: [stkQueryTopic, expiryReapplyTopic, receiptIssueTopic, paymentAllocatedTopic,
    ...refundOutboxTopics],
  outboxHandlers: (deps) => ({
    [stkQueryTopic]: stkQueryHandler(stkDepsFor(deps)),
    [expiryReapplyTopic]: expiryReapplyHandler(deps),
    [receiptIssueTopic]: receiptIssueHandler(deps),
    ...refundOutboxHandlers(deps),
  }),
  periodicJobs: (deps) => [callbackSweepJob(deps)],
};
