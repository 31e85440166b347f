/**
 * M-Pesa Daraja for the payments module: the client (OAuth, STK push and query, transaction
 * status, C2B registration, pull transactions) and pure readers of what Safaricom posts back.
 * Failures are values (DarajaFailure); none of them means a payment failed.
 */
export {
  c2bValidationAccepted,
  c2bValidationRejected,
  callbackAcknowledgement,
  msisdnForm,
  parseC2bPayment,
  parseInitiatorResult,
  parseStkCallback,
  type C2bPayment,
  type CallbackProblem,
  type InitiatorResult,
  type MsisdnForm,
  type ParsedCallback,
  type StatusReceipt,
  type StkCallback,
  type StkPayment,
} from './daraja-callbacks.ts';
export { createDarajaClient } from './daraja-client.ts';
export { isRecipientSpent } from './daraja-outflows.ts';
export {
  darajaTimestamp,
  decimalShillings,
  normalisePhoneNumber,
  parseDarajaTimestamp,
  stkPassword,
  toWholeShillings,
  wholeShillings,
} from './daraja-formats.ts';
export {
  c2bRejectionCodes,
  classifyStkResult,
  isStillProcessing,
  statusCheckDelaysMs,
  stkResultCodes,
  type C2bRejectionCode,
  type StkOutcome,
} from './daraja-result-codes.ts';
export type {
  Acknowledged,
  B2cPaymentRequest,
  OutflowStatusRequest,
  ReversalRequest,
  C2bRegistrationRequest,
  C2bResponseType,
  C2bSimulationRequest,
  DarajaClient,
  DarajaClientOptions,
  DarajaFailure,
  DarajaOperation,
  DarajaResult,
  InitiatorAccepted,
  PulledTransaction,
  PullQuery,
  PullRegistrationRequest,
  StkFieldTypes,
  StkPushAccepted,
  StkPushRequest,
  StkQueryAnswer,
  StkTransactionType,
  TimestampZone,
  TransactionStatusRequest,
} from './daraja-types.ts';
