/**
 * What the fake Safaricom remembers, in memory: registered URLs, STK requests, completed
 * transactions with a running balance per shortcode, C2B attempts and every callback sent.
 * A fake needs no durability; each collection is bounded so a long demo cannot exhaust memory.
 */
import type { Money } from '#platform/money/index.ts';
import type { PaymentScenario } from './emulator-scenarios.ts';

export type DarajaApiVersion = 'v1' | 'v2';

export type C2bRegistration = Readonly<{
  shortcode: string;
  responseType: 'Completed' | 'Cancelled';
  confirmationUrl: string;
  validationUrl: string;
  version: DarajaApiVersion;
  registeredAt: Date;
}>;

/** Money in (c2b, stk) or out of the paybill (the rest: WITHDRAWN in statements). */
export type TransactionChannel = 'c2b' | 'stk' | 'b2c' | 'b2c-charge' | 'reversal' | 'sweep';

const outflowChannels: ReadonlySet<TransactionChannel> =
  new Set(['b2c', 'b2c-charge', 'reversal', 'sweep']);

/** True when the transaction took money out of the paybill. */
export function isWithdrawal(transaction: Readonly<{ channel: TransactionChannel }>): boolean {
  return outflowChannels.has(transaction.channel);
}

export type EmulatedTransaction = Readonly<{
  transactionId: string;
  channel: TransactionChannel;
  shortcode: string;
  transactionType: 'Pay Bill' | 'Buy Goods';
  amount: Money;
  msisdn: string;
  billReference: string;
  firstName: string;
  middleName: string;
  lastName: string;
  initiatedAt: Date;
  completedAt: Date;
  balanceAfter: Money;
  /** Reversal: the receipt reversed; charge: the B2C it was charged for. */
  linkedTransactionId?: string;
  /** B2C and reversal: the initiator's OriginatorConversationID. */
  originatorConversationId?: string;
  /** A fixed sequence number, so statements and pulls list transactions in order. */
  sequence: number;
}>;

export type StkRequestStatus = 'pending' | 'completed';

export type StkRequest = {
  readonly checkoutRequestId: string;
  readonly merchantRequestId: string;
  readonly shortcode: string;
  readonly transactionType: 'Pay Bill' | 'Buy Goods';
  readonly amount: Money;
  readonly phoneNumber: string;
  readonly accountReference: string;
  readonly callbackUrl: string;
  readonly scenario: PaymentScenario;
  readonly requestedAt: Date;
  status: StkRequestStatus;
  resultCode: number | undefined;
  resultDescription: string | undefined;
  receiptNumber: string | undefined;
  completedAt: Date | undefined;
};

export type C2bAttempt = {
  readonly originatorConversationId: string;
  readonly transactionId: string;
  readonly shortcode: string;
  readonly amount: Money;
  readonly billReference: string;
  status: 'validating' | 'rejected' | 'completed';
  /** The validation ResultCode when rejected, or why it was decided without one. */
  decision: string | undefined;
};

export type CallbackKind =
  | 'stk-callback' | 'c2b-validation' | 'c2b-confirmation' | 'transaction-status-result'
  | 'b2c-result' | 'reversal-result' | 'queue-timeout';

export type CallbackOutcome =
  | Readonly<{ delivered: true; status: number; responseBody: string }>
  | Readonly<{ delivered: false; error: 'timeout' | 'unreachable'; message: string }>;

export type SentCallback = Readonly<{
  sequence: number;
  kind: CallbackKind;
  url: string;
  body: unknown;
  sentAt: Date;
  outcome: CallbackOutcome;
}>;

export type OutflowRequest = {
  readonly originatorConversationId: string;
  readonly conversationId: string;
  /** The receipt, once the money moved. */
  transactionId: string | undefined;
};

export type PullRegistration = Readonly<{
  shortcode: string; nominatedNumber: string; callbackUrl: string;
}>;

export type EmulatorState = {
  readonly accessTokens: Map<string, number>;
  readonly registrations: Map<string, C2bRegistration>;
  readonly pullRegistrations: Map<string, PullRegistration>;
  readonly stkRequests: Map<string, StkRequest>;
  readonly transactions: Map<string, EmulatedTransaction>;
  readonly c2bAttempts: Map<string, C2bAttempt>;
  readonly balancesMinor: Map<string, bigint>;
  readonly callbacks: SentCallback[];
  /** Every receipt ever issued (also those of rejected C2B attempts): never reused. */
  readonly issuedReceipts: Set<string>;
  /** B2C and reversal requests by OriginatorConversationID: a repeat is not paid twice. */
  readonly outflowRequests: Map<string, OutflowRequest>;
  /** Paid-in receipts reversed already: a second reversal is refused. */
  readonly reversedReceipts: Set<string>;
  sequence: number;
};

/** Limits, so a long-running demo keeps a bounded amount of memory. */
export const stateLimits = {
  transactionsMax: 200_000,
  stkRequestsMax: 50_000,
  c2bAttemptsMax: 50_000,
  callbacksMax: 2_000,
  outflowRequestsMax: 50_000,
  accessTokensMax: 1_000,
} as const;

export function createEmulatorState(): EmulatorState {
  return {
    accessTokens: new Map(),
    registrations: new Map(),
    pullRegistrations: new Map(),
    stkRequests: new Map(),
    transactions: new Map(),
    c2bAttempts: new Map(),
    balancesMinor: new Map(),
    callbacks: [],
    issuedReceipts: new Set(),
    outflowRequests: new Map(),
    reversedReceipts: new Set(),
    sequence: 0,
  };
}

/** Adds to a bounded map, forgetting the oldest entries beyond `max`. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done === true) break;
    map.delete(oldest.value);
  }
}

export function recordCallback(state: EmulatorState, callback: Omit<SentCallback, 'sequence'>):
  SentCallback {
  state.sequence += 1;
  const recorded = { ...callback, sequence: state.sequence };
  state.callbacks.push(recorded);
  if (state.callbacks.length > stateLimits.callbacksMax) state.callbacks.shift();
  return recorded;
}

/** Forgets everything (between tests or demos). */
export function clearState(state: EmulatorState): void {
  state.accessTokens.clear();
  state.registrations.clear();
  state.pullRegistrations.clear();
  state.stkRequests.clear();
  state.transactions.clear();
  state.c2bAttempts.clear();
  state.balancesMinor.clear();
  state.callbacks.length = 0;
  state.issuedReceipts.clear();
  state.outflowRequests.clear();
  state.reversedReceipts.clear();
}
