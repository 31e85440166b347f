/**
 * The Daraja client the platform uses: STK push and query, transaction status, C2B URL
 * registration (and sandbox simulation), pull transactions. Every call has a time limit and
 * returns a Result (daraja-types.ts); the access token is cached and renewed.
 */
import { createCaller, type ClientContext } from './daraja-calls.ts';
import { registerC2bUrls, simulateC2b, transactionStatus } from './daraja-c2b.ts';
import type { HttpSettings } from './daraja-http.ts';
import { b2cPayment, outflowStatus, reversal } from './daraja-outflows.ts';
import { pullTransactions, registerPullCallback } from './daraja-pull.ts';
import { stkPush, stkQuery } from './daraja-stk.ts';
import { createTokenSource, requestAccessToken } from './daraja-token.ts';
import type { DarajaClient, DarajaClientOptions } from './daraja-types.ts';

export function createDarajaClient(options: DarajaClientOptions): DarajaClient {
  if (!/^\d{5,7}$/.test(options.shortcode)) {
    throw new Error(`shortcode must be 5 to 7 digits (got "${options.shortcode}")`);
  }
  const http: HttpSettings = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs,
    fetch: options.fetch ?? globalThis.fetch,
  };
  const tokens = createTokenSource(() => requestAccessToken(http, options), options.clock);
  const context: ClientContext = {
    options,
    shortcodeNumber: BigInt(options.shortcode),
    call: createCaller(http, tokens),
  };
  return {
    getAccessToken: () => tokens.get(),
    stkPush: (request) => stkPush(context, request),
    stkQuery: (checkoutRequestId) => stkQuery(context, checkoutRequestId),
    transactionStatus: (request) => transactionStatus(context, request),
    registerC2bUrls: (request) => registerC2bUrls(context, request),
    simulateC2b: (request) => simulateC2b(context, request),
    registerPullCallback: (request) => registerPullCallback(context, request),
    pullTransactions: (query) => pullTransactions(context, query),
    b2cPayment: (request) => b2cPayment(context, request),
    reversal: (request) => reversal(context, request),
    outflowStatus: (request) => outflowStatus(context, request),
  };
}
