export {
  claimDueOutboxEvents,
  countOutboxBacklog,
  countPendingOutboxEventsOutside,
  enqueueOutboxEventInTrx,
  findOutboxEvent,
  type OutboxEvent,
  type OutboxEventRow,
  type OutboxPayload,
} from './outbox-repo.ts';
export {
  deleteDeliveredOutboxEvents,
  outboxRetentionBatchesPerRunMax,
  outboxRetentionBatchSizeMax,
  outboxRetentionEveryMsDefault,
  outboxRetentionMsDefault,
  type OutboxRetentionOptions,
} from './outbox-retention.ts';
export type { AnyKysely, OutboxEventTable, OutboxTables } from './outbox-tables.ts';
export {
  outboxAttemptsMaxDefault,
  OutboxPermanentFailure,
  outboxRetryDelayMs,
  runOutboxBatch,
  startOutboxWorker,
  type OutboxBatchReport,
  type OutboxHandler,
  type OutboxHandlerContext,
  type OutboxHandlers,
  type OutboxWorker,
  type OutboxWorkerOptions,
} from './outbox-worker.ts';
