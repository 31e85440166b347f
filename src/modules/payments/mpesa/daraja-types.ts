/**
 * The Daraja client's vocabulary: named failures instead of exceptions, and typed answers
 * with Money where Daraja sends shillings. Field names follow ours; the wire names are
 * Safaricom's and stay inside the client.
 */
import type { Clock } from '#platform/clock/index.ts';
import type { Result } from '#platform/errors/index.ts';
import type { Money } from '#platform/money/index.ts';
import type { StkOutcome } from './daraja-result-codes.ts';

export type DarajaOperation =
  | 'oauth' | 'stk-push' | 'stk-query' | 'transaction-status' | 'c2b-register' | 'c2b-simulate'
  | 'pull-register' | 'pull-query' | 'b2c-payment' | 'reversal';

/**
 * Why a call did not give an answer. None of these says a payment failed: after a timeout or
 * a network failure the request may have reached Safaricom (see docs/daraja-emulator.md).
 */
export type DarajaFailure =
  /** We refused to send it: the request breaks a rule of the contract. */
  | Readonly<{ kind: 'invalid-request'; operation: DarajaOperation; field: string;
    message: string }>
  /** No complete answer within timeoutMs. */
  | Readonly<{ kind: 'timeout'; operation: DarajaOperation; timeoutMs: number }>
  /** Could not connect, or the connection broke. */
  | Readonly<{ kind: 'network'; operation: DarajaOperation; message: string }>
  /** An HTTP error without Daraja's error envelope (a proxy page, an empty 502 ...). */
  | Readonly<{ kind: 'http'; operation: DarajaOperation; status: number; body: string }>
  /** Daraja's own error: {requestId, errorCode, errorMessage}, or a non-zero ResponseCode. */
  | Readonly<{ kind: 'daraja'; operation: DarajaOperation; status: number; errorCode: string;
    errorMessage: string; requestId: string | undefined }>
  /** A 2xx answer that does not have the shape the contract promises. */
  | Readonly<{ kind: 'unexpected-response'; operation: DarajaOperation; status: number;
    message: string }>;

export type DarajaResult<T> = Result<T, DarajaFailure>;

export type TimestampZone = 'kenya' | 'utc';

/**
 * JSON types of the STK request's BusinessShortCode, PartyA, PartyB and PhoneNumber. Integrators
 * disagree (daraja.md 5): one reports phones sent as strings end silently in 1037, Safaricom's
 * own samples quote them. 'numbers' by default; 'strings' where the account needs them.
 */
export type StkFieldTypes = 'numbers' | 'strings';

export type DarajaClientOptions = Readonly<{
  /** e.g. https://api.safaricom.co.ke, or the emulator's base URL. */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  passkey: string;
  /** Limit on every call, connection and body included. */
  timeoutMs: number;
  clock: Clock;
  fetch?: typeof fetch;
  /** For transaction status (an initiator API). */
  initiator?: string;
  securityCredential?: string;
  /** The clock the STK Timestamp is written in; it only has to match the Password. */
  timestampZone?: TimestampZone;
  /** How STK requests write the shortcode and phone numbers (numbers unless told). */
  stkFieldTypes?: StkFieldTypes;
}>;

export type StkTransactionType = 'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline';

export type StkPushRequest = Readonly<{
  /** Whole shillings (KES); M-Pesa takes no cents. */
  amount: Money;
  /** 07XXXXXXXX, 2547XXXXXXXX or +2547XXXXXXXX (also 01..., 2541...). */
  phoneNumber: string;
  /** Shown on the payer's phone; at most 12 characters (our bill reference). */
  accountReference: string;
  /** At most 13 characters. */
  transactionDescription: string;
  callbackUrl: string;
  transactionType?: StkTransactionType;
}>;

export type StkPushAccepted = Readonly<{
  merchantRequestId: string;
  checkoutRequestId: string;
  responseDescription: string;
  customerMessage: string;
}>;

export type StkQueryAnswer = Readonly<{
  /** 'pending' while M-Pesa is still processing, and for 1037 and unknown codes. */
  outcome: StkOutcome;
  /** Undefined while the push is still being processed (500.001.1001). */
  resultCode: number | undefined;
  resultDescription: string;
  checkoutRequestId: string;
  merchantRequestId: string | undefined;
}>;

export type TransactionStatusRequest = Readonly<{
  /** The M-Pesa receipt number (TransID, MpesaReceiptNumber). */
  transactionId: string;
  resultUrl: string;
  queueTimeoutUrl: string;
  remarks?: string;
  occasion?: string;
}>;

/** The synchronous acknowledgement of an initiator API; the result comes to ResultURL. */
export type InitiatorAccepted = Readonly<{
  originatorConversationId: string;
  conversationId: string;
  responseDescription: string;
}>;

export type C2bResponseType = 'Completed' | 'Cancelled';

export type C2bRegistrationRequest = Readonly<{
  confirmationUrl: string;
  validationUrl: string;
  /** What M-Pesa does when validation does not answer within 8 s. */
  responseType: C2bResponseType;
  /** v2 masks MSISDN in payloads ("2547 ***** 126"); v1 hashes it. Default v2. */
  apiVersion?: 'v1' | 'v2';
}>;

export type C2bSimulationRequest = Readonly<{
  amount: Money;
  msisdn: string;
  billReference: string;
  commandId?: StkTransactionType;
}>;

export type Acknowledged = Readonly<{ conversationId: string; responseDescription: string }>;

export type PullRegistrationRequest = Readonly<{
  /** A phone number (254...), not the shortcode. */
  nominatedNumber: string;
  callbackUrl: string;
}>;

export type PullQuery = Readonly<{ startDate: Date; endDate: Date; offset: number }>;

export type PulledTransaction = Readonly<{
  transactionId: string;
  transactionTime: Date;
  msisdn: string;
  sender: string;
  transactionType: string;
  billReference: string;
  amount: Money;
  organizationName: string;
}>;

/** Refunds (daraja-outflows.ts): where the asynchronous answers go. */
export type OutflowUrls = Readonly<{ resultUrl: string; queueTimeoutUrl: string }>;

export type B2cPaymentRequest = OutflowUrls & Readonly<{
  /** Ours, unique per attempt: M-Pesa answers a repeat without paying again. */
  originatorConversationId: string;
  amount: Money;
  /** 07..., 2547... (also 01..., 2541...). Never logged. */
  phoneNumber: string;
  remarks: string;
  occasion?: string;
}>;

export type ReversalRequest = OutflowUrls & Readonly<{
  originatorConversationId: string;
  /** The paid-in receipt to reverse, whole. */
  transactionId: string;
  amount: Money;
  remarks: string;
  occasion?: string;
}>;

export type OutflowStatusRequest = OutflowUrls & Readonly<{
  /** The B2C's or reversal's OriginatorConversationID. */
  originalConversationId: string;
  occasion: string;
}>;

export type DarajaClient = Readonly<{
  /** A valid access token: cached, refreshed a little before it expires. */
  getAccessToken: () => Promise<DarajaResult<string>>;
  stkPush: (request: StkPushRequest) => Promise<DarajaResult<StkPushAccepted>>;
  stkQuery: (checkoutRequestId: string) => Promise<DarajaResult<StkQueryAnswer>>;
  transactionStatus: (request: TransactionStatusRequest) =>
    Promise<DarajaResult<InitiatorAccepted>>;
  registerC2bUrls: (request: C2bRegistrationRequest) => Promise<DarajaResult<Acknowledged>>;
  /** Sandbox and emulator only: a payer paying the paybill. */
  simulateC2b: (request: C2bSimulationRequest) => Promise<DarajaResult<Acknowledged>>;
  registerPullCallback: (request: PullRegistrationRequest) =>
    Promise<DarajaResult<Readonly<{ alreadyRegistered: boolean }>>>;
  /** One page of the paybill's payments in a window; ask again with offset + length. */
  pullTransactions: (query: PullQuery) => Promise<DarajaResult<readonly PulledTransaction[]>>;
  /** Refunds: money out (daraja-outflows.ts); results come to ResultURL. */
  b2cPayment: (request: B2cPaymentRequest) => Promise<DarajaResult<InitiatorAccepted>>;
  reversal: (request: ReversalRequest) => Promise<DarajaResult<InitiatorAccepted>>;
  outflowStatus: (request: OutflowStatusRequest) => Promise<DarajaResult<InitiatorAccepted>>;
}>;
