import type { ErrorTable } from '#platform/errors/index.ts';

/** The settlement module's failures (docs/errors.md lists each). */
export const settlementErrors = {
  SETTLEMENT_BATCH_NOT_FOUND: { status: 404, title: 'There is no such settlement batch' },
  SETTLEMENT_NOTHING_TO_SETTLE: {
    status: 409,
    title: 'No payee with a settlement profile has money to settle up to the cut-off' },
  SETTLEMENT_BATCH_NOT_PREPARED: {
    status: 409, title: 'This batch is no longer awaiting approval' },
  SETTLEMENT_BATCH_NOT_RELEASED: {
    status: 409, title: 'This batch is not released to the bank (or is already settled)' },
  SETTLEMENT_PREPARER_CANNOT_APPROVE: {
    status: 403, title: 'The person who prepared a batch cannot approve it' },
  SETTLEMENT_ALREADY_APPROVED_BY_YOU: {
    status: 409, title: 'You already approved this batch; a second, different person must' },
  SETTLEMENT_BANK_REFERENCE_INVALID: {
    status: 400, title: 'The bank reference must be 4 to 40 letters, digits or hyphens' },
  SETTLEMENT_LINE_NOT_FOUND: { status: 404, title: 'There is no such settlement line' },
  SETTLEMENT_LINE_NOT_RELEASED: {
    status: 409, title: 'Only a line released to the bank can be returned' },
  SETTLEMENT_PAYABLE_SHORT: {
    status: 409,
    title: 'A payee is now owed less than its line (a reversal since preparation): cancel the ' +
      'batch and prepare another' },
  SETTLEMENT_CUTOFF_INVALID: {
    status: 400, title: 'The cut-off must be a date and time that has passed' },
  SETTLEMENT_ALERT_NOT_FOUND: {
    status: 404, title: 'There is no such open settlement alert' },
  SETTLEMENT_ALERT_NOTE_REQUIRED: {
    status: 400, title: 'Closing a settlement alert needs a note of 1 to 1,000 characters' },
} as const satisfies ErrorTable;

export type SettlementErrorCode = keyof typeof settlementErrors;
