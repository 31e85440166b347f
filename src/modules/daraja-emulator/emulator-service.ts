/**
 * The fake Safaricom: OAuth, then each Daraja API answered from in-memory state, with
 * callbacks sent over real HTTP. Routes (emulator-routes.ts) only translate HTTP to calls here.
 */
import { systemClock, type Clock } from '#platform/clock/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import {
  registerC2bUrls,
  runC2bPayment,
  simulateC2bRequest,
  type C2bCommand,
  type C2bOutcome,
} from './emulator-c2b.ts';
import type {
  EmulatorContext,
  EmulatorSettings,
  EmulatorShortcode,
  EmulatorTiming,
  MsisdnPrivacy,
} from './emulator-context.ts';
import { accessToken } from './emulator-formats.ts';
import { b2cPaymentRequest, sweepToBank } from './emulator-outflows.ts';
import { pullQueryRequest, pullRegisterRequest, statementCsv } from './emulator-pull.ts';
import { darajaErrors, reply, type DarajaReply } from './emulator-replies.ts';
import { reversalRequest } from './emulator-reversal.ts';
import {
  createTaskTracker,
  timerScheduler,
  type Scheduler,
} from './emulator-scheduler.ts';
import { describeState, type EmulatorSnapshot } from './emulator-snapshot.ts';
import {
  clearState,
  createEmulatorState,
  remember,
  stateLimits,
  type SentCallback,
} from './emulator-state.ts';
import { transactionStatusRequest } from './emulator-status.ts';
import { stkPushRequest, stkQueryRequest } from './emulator-stk.ts';

export const defaultTiming: EmulatorTiming = Object.freeze({
  tokenLifetimeSeconds: 3599,
  validationTimeoutMs: 8_000,
  callbackTimeoutMs: 10_000,
  stkCompletionDelayMs: 3_000,
  stkTimeoutMs: 60_000,
  delayedCallbackMs: 90_000,
  duplicateCallbackGapMs: 1_000,
  resultDelayMs: 1_000,
});

export type DarajaEmulatorOptions = Readonly<{
  credentials: EmulatorSettings['credentials'];
  shortcodes: readonly EmulatorShortcode[];
  initiator?: EmulatorSettings['initiator'];
  timing?: Partial<EmulatorTiming>;
  externalValidation?: boolean;
  msisdnPrivacy?: MsisdnPrivacy;
  stkConfirmsC2b?: boolean;
  pullPageSize?: number;
  /** The charge for each B2C payment, booked as its own statement line; 0 (none) by default. */
  b2cChargeShillings?: bigint;
  /** Off by default, so callbacks can reach http://127.0.0.1 in development and tests. */
  callbackUrlRules?: EmulatorSettings['callbackUrlRules'];
  clock?: Clock;
  scheduler?: Scheduler;
  /** Used to send callbacks; the global fetch by default. */
  fetch?: typeof fetch;
  logger?: Logger;
}>;

/** The Daraja APIs behind a bearer token. */
export type DarajaApiOperation =
  | 'c2b-register-v1' | 'c2b-register-v2' | 'c2b-simulate' | 'stk-push' | 'stk-query'
  | 'transaction-status' | 'pull-register' | 'pull-query' | 'b2c-v1' | 'b2c-v3' | 'reversal';

export type SimulatedPayment = Readonly<{
  shortcode?: string;
  commandId?: C2bCommand;
  amountShillings: bigint;
  msisdn: string;
  billReference: string;
}>;

export type DarajaEmulator = Readonly<{
  settings: EmulatorSettings;
  /** GET /oauth/v1/generate */
  oauth: (authorization: string | undefined, grantType: unknown) => DarajaReply;
  /** Any other Daraja API: checks the bearer token, then answers. */
  call: (operation: DarajaApiOperation, authorization: string | undefined, body: unknown) =>
    DarajaReply;
  /** A paybill payment from a phone, run to the end (validation, booking, confirmation). */
  simulateC2b: (payment: SimulatedPayment) => Promise<C2bOutcome>;
  statementCsv: (shortcode: string, window?: Readonly<{ from?: Date; to?: Date }>) => string;
  /** Emulator only: {ShortCode, Amount} moved from the paybill to the organisation's bank. */
  sweep: (body: unknown) => DarajaReply;
  snapshot: () => EmulatorSnapshot;
  sentCallbacks: () => readonly SentCallback[];
  /** Invalidates every access token before its time, as Safaricom sometimes does. */
  revokeAccessTokens: () => void;
  /** Resolves when no callback is scheduled or being sent. */
  idle: () => Promise<void>;
  reset: () => void;
  close: () => void;
}>;

const handlers: Readonly<Record<DarajaApiOperation,
  (context: EmulatorContext, body: unknown) => DarajaReply>> = {
  'c2b-register-v1': (context, body) => registerC2bUrls(context, body, 'v1'),
  'c2b-register-v2': (context, body) => registerC2bUrls(context, body, 'v2'),
  'c2b-simulate': simulateC2bRequest,
  'stk-push': stkPushRequest,
  'stk-query': stkQueryRequest,
  'transaction-status': transactionStatusRequest,
  'pull-register': pullRegisterRequest,
  'pull-query': pullQueryRequest,
  'b2c-v1': (context, body) => b2cPaymentRequest(context, body, 'v1'),
  'b2c-v3': (context, body) => b2cPaymentRequest(context, body, 'v3'),
  reversal: reversalRequest,
};

export function createDarajaEmulator(options: DarajaEmulatorOptions): DarajaEmulator {
  const logger = options.logger;
  const settings: EmulatorSettings = Object.freeze({
    credentials: options.credentials,
    shortcodes: options.shortcodes,
    initiator: options.initiator,
    timing: { ...defaultTiming, ...options.timing },
    externalValidation: options.externalValidation ?? true,
    msisdnPrivacy: options.msisdnPrivacy ?? 'by-version',
    stkConfirmsC2b: options.stkConfirmsC2b ?? false,
    pullPageSize: options.pullPageSize ?? 1_000,
    callbackUrlRules: options.callbackUrlRules ?? 'lenient',
    b2cChargeShillings: options.b2cChargeShillings ?? 0n,
  });
  const context: EmulatorContext = {
    settings,
    state: createEmulatorState(),
    tasks: createTaskTracker(options.scheduler ?? timerScheduler,
      (error) => logger?.error({ err: error }, 'emulator task failed')),
    clock: options.clock ?? systemClock,
    fetch: options.fetch ?? globalThis.fetch,
    logger,
  };
  return {
    settings,
    oauth: (authorization, grantType) => issueToken(context, authorization, grantType),
    call: (operation, authorization, body) =>
      checkToken(context, authorization) ?? handlers[operation](context, body),
    simulateC2b: (payment) => context.tasks.track(runC2bPayment(context, {
      shortcode: payment.shortcode ?? settings.shortcodes[0]?.shortcode ?? '',
      commandId: payment.commandId ?? 'CustomerPayBillOnline',
      amountShillings: payment.amountShillings,
      msisdn: payment.msisdn,
      billReference: payment.billReference,
    })),
    statementCsv: (shortcode, window) => statementCsv(context, shortcode, window),
    sweep: (body) => sweepToBank(context, body),
    snapshot: () => describeState(context),
    sentCallbacks: () => [...context.state.callbacks],
    revokeAccessTokens: () => context.state.accessTokens.clear(),
    idle: () => context.tasks.idle(),
    reset: () => {
      context.tasks.cancelAll();
      clearState(context.state);
    },
    close: () => context.tasks.cancelAll(),
  };
}

function issueToken(
  context: EmulatorContext,
  authorization: string | undefined,
  grantType: unknown,
): DarajaReply {
  if (grantType !== 'client_credentials') return darajaErrors.invalidGrantType();
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (match === null) return darajaErrors.invalidAuthentication();
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const key = decoded.slice(0, separator);
  const secret = decoded.slice(separator + 1);
  const known = separator > 0 && context.settings.credentials.some((credential) =>
    credential.consumerKey === key && credential.consumerSecret === secret);
  if (!known) return darajaErrors.invalidAuthentication();
  const lifetimeSeconds = context.settings.timing.tokenLifetimeSeconds;
  const token = accessToken();
  remember(context.state.accessTokens, token,
    context.clock.now().getTime() + lifetimeSeconds * 1000, stateLimits.accessTokensMax);
  // expires_in is a string, as Safaricom sends it.
  return reply({ access_token: token, expires_in: String(lifetimeSeconds) });
}

/** undefined when the bearer token is good; otherwise Daraja's error. */
function checkToken(context: EmulatorContext, authorization: string | undefined):
  DarajaReply | undefined {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  if (match === null) return darajaErrors.invalidAuthenticationHeader();
  const expiresAtMs = context.state.accessTokens.get(match[1] ?? '');
  if (expiresAtMs === undefined || expiresAtMs <= context.clock.now().getTime()) {
    return darajaErrors.invalidAccessToken();
  }
  return undefined;
}
