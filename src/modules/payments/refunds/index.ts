/**
 * Refunds (docs/refunds.md): maker-checker requests and approvals, payment through M-Pesa B2C
 * or reversal with asynchronous Results, retry and cancel; the staff and account pages.
 */
export { refundErrors, type RefundErrorCode } from './refund-errors.ts';
export {
  approveRefund,
  cancelRefund,
  principalOf,
  rejectRefund,
  refundSendTopic,
  refundStatusTopic,
  requestRefund,
  retryRefund,
  type RefundFailure,
  type RefundRequest,
  type RefundScope,
} from './refund-service.ts';
export { receiveRefundCallback, sendAttempt } from './refund-execution.ts';
export {
  cardRefundOrder,
  failCardRefundAttempt,
  markCardRefundSent,
  settleCardRefund,
  type CardRefundOrder,
  type CardRefundSettled,
} from './card-refunds.ts';
export { cardRefundSendTopic } from './refund-service.ts';
export { refundCallbackPaths } from './refund-callback-routes.ts';
export {
  refundExecutionDepsFor,
  refundOutboxHandlers,
  refundOutboxTopics,
  refundRoutes,
} from './refund-wiring.ts';
export { refundPaths } from './refund-views.ts';
export { default as refundsEn } from './locales/en.json' with { type: 'json' };
export { default as refundsSw } from './locales/sw.json' with { type: 'json' };
export type { RefundAttemptRow, RefundRow } from './refund-repo.ts';
export type { RefundMethod, RefundReason, RefundStatus, RefundTables } from './refund-tables.ts';
