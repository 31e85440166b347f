/**
 * Ways to pay other than M-Pesa, behind one interface, so a card acquirer or a bank's
 * integration is an adapter, not a change to the pay page. An adapter says whether it can take
 * this invoice now, and what it offers: steps to follow, or an address to go to.
 */
import { format } from '#platform/money/index.ts';
import type { Language, Translate } from '#web/index.ts';
import type { InvoiceView } from '../invoice-service.ts';
import { payPaths } from './pay-paths.ts';

export type PaymentChannelOffer =
  | Readonly<{ kind: 'instructions'; steps: readonly string[] }>
  /** A button that POSTs (with the CSRF token) to our own route, which sends the payer on. */
  | Readonly<{ kind: 'form'; action: string; label: string; hint: string }>
  | Readonly<{ kind: 'redirect'; href: string; label: string }>
  | Readonly<{ kind: 'unavailable'; reason: string }>;

export type PaymentChannelAdapter = Readonly<{
  /** Stable name, e.g. 'card', 'bank-transfer'. */
  name: string;
  /** The locale key of the channel's heading. */
  labelKey: string;
  isAvailable: (invoice: InvoiceView) => boolean;
  offer: (invoice: InvoiceView, copy: Readonly<{ t: Translate; language: Language }>) =>
    PaymentChannelOffer;
}>;

/** Cards when no acquirer is configured: the adapter says so, and the page shows it. */
export const cardAdapter: PaymentChannelAdapter = {
  name: 'card',
  labelKey: 'payPages.channel.card',
  isAvailable: () => false,
  offer: (_invoice, { t }) => ({ kind: 'unavailable', reason: t('payPages.channel.notYet') }),
};

/**
 * Cards through the configured acquirer (channel-cards serves payPaths.card): a button that
 * makes the acquirer's payment session and sends the payer to its hosted page, where alone the
 * card number is typed. KES or USD, for what is still due.
 */
export const acquirerCardAdapter: PaymentChannelAdapter = {
  name: 'card',
  labelKey: 'payPages.channel.card',
  isAvailable: (invoice) => invoice.balanceDue.amountMinor > 0n,
  offer: (invoice, { t, language }) => ({
    kind: 'form', action: payPaths.card(invoice.reference),
    label: t('payPages.card.submit', { amount: format(invoice.balanceDue, language) }),
    hint: t('payPages.card.hint'),
  }),
};

export type BankAccount = Readonly<{
  bankName: string; accountName: string; accountNumber: string;
}>;

/** The collection account of the demo platform; a deployment passes its own. */
export const demoCollectionAccount: BankAccount = {
  bankName: 'Central Bank of Kenya',
  accountName: 'Huduma Collection Account',
  accountNumber: '1000222222',
};

/** A bank transfer quoting the bill reference, matched when the bank statement arrives. */
export function bankTransferAdapter(account: BankAccount = demoCollectionAccount):
  PaymentChannelAdapter {
  return {
    name: 'bank-transfer',
    labelKey: 'payPages.channel.bank',
    isAvailable: (invoice) => invoice.balanceDue.amountMinor > 0n,
    offer: (invoice, { t, language }) => ({
      kind: 'instructions',
      steps: [
        t('payPages.bank.bank', { bank: account.bankName }),
        t('payPages.bank.accountName', { name: account.accountName }),
        t('payPages.bank.accountNumber', { number: account.accountNumber }),
        t('payPages.bank.reference', { reference: invoice.reference }),
        t('payPages.bank.amount', { amount: format(invoice.balanceDue, language) }),
        t('payPages.bank.slow'),
      ],
    }),
  };
}

export const defaultChannelAdapters: readonly PaymentChannelAdapter[] =
  [cardAdapter, bankTransferAdapter()];

/** The channels this deployment offers: cards when an acquirer is configured. */
export function channelAdaptersFor(cards: Readonly<{ acquirerBaseUrl: string }>):
  readonly PaymentChannelAdapter[] {
  return cards.acquirerBaseUrl === '' ? defaultChannelAdapters
    : [acquirerCardAdapter, bankTransferAdapter()];
}
