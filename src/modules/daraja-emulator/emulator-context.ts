/**
 * What every part of the emulator shares: its settings, its state, time, and the two things
 * M-Pesa does for every payment: book the transaction (receipt, balance) and send callbacks.
 */
import type { Clock } from '#platform/clock/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { receiptNumber } from './emulator-formats.ts';
import type { PaymentScenario } from './emulator-scenarios.ts';
import type { TaskTracker } from './emulator-scheduler.ts';
import {
  isWithdrawal,
  recordCallback,
  remember,
  stateLimits,
  type CallbackKind,
  type CallbackOutcome,
  type EmulatedTransaction,
  type EmulatorState,
} from './emulator-state.ts';

export type EmulatorShortcode = Readonly<{
  shortcode: string;
  /** Lipa na M-Pesa Online passkey (STK Password). */
  passkey: string;
  /** As shown in statements and transaction status results. */
  organizationName: string;
}>;

export type EmulatorTiming = Readonly<{
  tokenLifetimeSeconds: number;
  /** How long M-Pesa waits for the validation URL before ResponseType decides (8 s). */
  validationTimeoutMs: number;
  /** How long it waits for a confirmation, STK callback or result URL to answer. */
  callbackTimeoutMs: number;
  /** From STK push to the payer's answer (PIN, cancel ...). */
  stkCompletionDelayMs: number;
  /** From STK push to 1037 when the phone does not answer. */
  stkTimeoutMs: number;
  /** From completion to the callback of the delayed-callback scenario. */
  delayedCallbackMs: number;
  /** Between the two copies of the duplicate-callback scenario. */
  duplicateCallbackGapMs: number;
  /** From a transaction status, B2C or reversal request to its result. */
  resultDelayMs: number;
}>;

/** How MSISDN appears in C2B payloads: by the register URL's version, or forced. */
export type MsisdnPrivacy = 'by-version' | 'masked' | 'hashed';

export type EmulatorSettings = Readonly<{
  credentials: readonly Readonly<{ consumerKey: string; consumerSecret: string }>[];
  shortcodes: readonly EmulatorShortcode[];
  /** When set, transaction status requests must carry this initiator (else ResultCode 2001). */
  initiator: Readonly<{ name: string; securityCredential: string }> | undefined;
  timing: EmulatorTiming;
  /** External validation is a per-shortcode switch at Safaricom; on here by default. */
  externalValidation: boolean;
  msisdnPrivacy: MsisdnPrivacy;
  /** Also send the C2B confirmation for a successful STK payment (some paybills do). */
  stkConfirmsC2b: boolean;
  pullPageSize: number;
  /** 'safaricom' applies Safaricom's rules to registered C2B URLs (HTTPS, public ...). */
  callbackUrlRules: 'lenient' | 'safaricom';
  /** The charge M-Pesa takes for each B2C payment, its own statement line; 0 = none. */
  b2cChargeShillings: bigint;
}>;

export type EmulatorContext = Readonly<{
  settings: EmulatorSettings;
  state: EmulatorState;
  tasks: TaskTracker;
  clock: Clock;
  fetch: typeof fetch;
  logger: Logger | undefined;
}>;

export function findShortcode(context: EmulatorContext, shortcode: string):
  EmulatorShortcode | undefined {
  return context.settings.shortcodes.find((candidate) => candidate.shortcode === shortcode);
}

export function balanceOf(context: EmulatorContext, shortcode: string): Money {
  return money(context.state.balancesMinor.get(shortcode) ?? 0n, 'KES');
}

const issuedReceiptsMax = stateLimits.transactionsMax * 2;

/** A receipt number never issued before by this emulator. */
export function issueReceipt(context: EmulatorContext, at: Date): string {
  const issued = context.state.issuedReceipts;
  let receipt = receiptNumber(at);
  while (issued.has(receipt) || context.state.transactions.has(receipt)) {
    receipt = receiptNumber(at);
  }
  issued.add(receipt);
  if (issued.size > issuedReceiptsMax) {
    const oldest = issued.values().next();
    if (oldest.done !== true) issued.delete(oldest.value);
  }
  return receipt;
}

/** Books a transaction into the shortcode: the balance grows (paid in) or shrinks (out). */
export function bookTransaction(
  context: EmulatorContext,
  transaction: Omit<EmulatedTransaction, 'balanceAfter' | 'sequence'>,
): EmulatedTransaction {
  const { state } = context;
  const signedMinor = isWithdrawal(transaction)
    ? -transaction.amount.amountMinor : transaction.amount.amountMinor;
  const balanceMinor = (state.balancesMinor.get(transaction.shortcode) ?? 0n) + signedMinor;
  state.balancesMinor.set(transaction.shortcode, balanceMinor);
  state.sequence += 1;
  const booked = {
    ...transaction,
    balanceAfter: money(balanceMinor, 'KES'),
    sequence: state.sequence,
  };
  remember(state.transactions, booked.transactionId, booked, stateLimits.transactionsMax);
  return booked;
}

const responseBodyLengthMax = 4_096;

/** POSTs a callback once (Daraja never retries) and records what happened. */
export async function postCallback(
  context: EmulatorContext,
  kind: CallbackKind,
  url: string,
  body: unknown,
  timeoutMs: number = context.settings.timing.callbackTimeoutMs,
): Promise<CallbackOutcome> {
  const sentAt = context.clock.now();
  let outcome: CallbackOutcome;
  try {
    const response = await context.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    outcome = {
      delivered: true,
      status: response.status,
      responseBody: text.slice(0, responseBodyLengthMax),
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    outcome = {
      delivered: false,
      error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  recordCallback(context.state, { kind, url, body, sentAt, outcome });
  // The route pattern only: callback URLs carry secret path tokens, bodies personal data.
  context.logger?.debug({ kind, delivered: outcome.delivered }, 'emulator callback sent');
  return outcome;
}

/**
 * Sends a payment's callback as the scenario says: once, never, twice, or late. Resolves
 * when the immediate copy (if any) is answered; later copies run on the scheduler.
 */
export async function deliverByScenario(
  context: EmulatorContext,
  scenario: PaymentScenario,
  send: () => Promise<unknown>,
  alreadyWaitedMs = 0,
): Promise<void> {
  const { timing } = context.settings;
  switch (scenario.kind) {
    case 'lost-callback':
    case 'timeout':
      return;
    case 'delayed-callback':
      context.tasks.later(Math.max(timing.delayedCallbackMs - alreadyWaitedMs, 0), async () => {
        await send();
      });
      return;
    case 'duplicate-callback':
      await send();
      context.tasks.later(timing.duplicateCallbackGapMs, async () => {
        await send();
      });
      return;
    case 'result':
      await send();
      return;
  }
}
