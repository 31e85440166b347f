/**
 * The emulator's state as JSON, for GET .../_state (demos, manual tests). It hides what a
 * real operator would not show: phone numbers are masked, callback URLs lose their paths
 * (they carry secret tokens) and callback bodies are left out. Tests that need the bodies
 * read emulator.sentCallbacks() in-process.
 */
import { balanceOf, type EmulatorContext } from './emulator-context.ts';
import { shillingsText, statementMsisdn } from './emulator-formats.ts';

export type EmulatorSnapshot = Readonly<Record<string, unknown>>;

function withoutPath(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}/...` : '...';
}

export function describeState(context: EmulatorContext): EmulatorSnapshot {
  const { state, settings } = context;
  return {
    shortcodes: settings.shortcodes.map((account) => {
      const registration = state.registrations.get(account.shortcode);
      return {
        shortcode: account.shortcode,
        organizationName: account.organizationName,
        balance: shillingsText(balanceOf(context, account.shortcode)),
        c2bRegistration: registration === undefined ? null : {
          responseType: registration.responseType,
          version: registration.version,
          confirmationUrl: withoutPath(registration.confirmationUrl),
          validationUrl: withoutPath(registration.validationUrl),
        },
        pullRegistered: state.pullRegistrations.has(account.shortcode),
      };
    }),
    stkRequests: [...state.stkRequests.values()].map((request) => ({
      checkoutRequestId: request.checkoutRequestId,
      merchantRequestId: request.merchantRequestId,
      amount: shillingsText(request.amount),
      phoneNumber: statementMsisdn(request.phoneNumber),
      accountReference: request.accountReference,
      scenario: request.scenario.kind,
      status: request.status,
      resultCode: request.resultCode ?? null,
      receiptNumber: request.receiptNumber ?? null,
      requestedAt: request.requestedAt.toISOString(),
    })),
    c2bAttempts: [...state.c2bAttempts.values()].map((attempt) => ({
      ...attempt, amount: shillingsText(attempt.amount),
    })),
    transactions: [...state.transactions.values()].map((transaction) => ({
      transactionId: transaction.transactionId,
      channel: transaction.channel,
      shortcode: transaction.shortcode,
      amount: shillingsText(transaction.amount),
      billReference: transaction.billReference,
      msisdn: statementMsisdn(transaction.msisdn),
      completedAt: transaction.completedAt.toISOString(),
      balanceAfter: shillingsText(transaction.balanceAfter),
    })),
    callbacks: state.callbacks.map((callback) => ({
      sequence: callback.sequence,
      kind: callback.kind,
      url: withoutPath(callback.url),
      sentAt: callback.sentAt.toISOString(),
      delivered: callback.outcome.delivered,
      status: callback.outcome.delivered ? callback.outcome.status : callback.outcome.error,
    })),
  };
}
