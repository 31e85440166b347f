/**
 * The card return page (where the acquirer sends the payer back) and the page shown when a card
 * payment cannot start. No card number is ever shown: we never have one. Works with JavaScript
 * off: a plain link checks again.
 */
import { format, type Money } from '#platform/money/index.ts';
import { html, renderPage, type PageContext } from '#web/index.ts';
import { payPaths } from '#modules/payments/index.ts';
import type { SessionOutcome } from './card-payment-service.ts';

/** Failure codes the acquirer publishes that have their own words; others get the general. */
const failureKeys: Readonly<Record<string, string>> = {
  card_declined: 'cards.failed.card_declined',
  insufficient_funds: 'cards.failed.insufficient_funds',
  authentication_failed: 'cards.failed.authentication_failed',
  cancelled: 'cards.failed.cancelled',
  expired: 'cards.failed.expired',
};

export type ReturnPageInput = Readonly<{
  reference: string;
  amount: Money;
  outcome: SessionOutcome;
  /** This page's own address, to check again. */
  selfHref: string;
}>;

export function renderReturnPage(context: PageContext, input: ReturnPageInput): string {
  const { t, language } = context;
  const amount = format(input.amount, language);
  const back = html`<p><a href="${payPaths.invoice(input.reference)}">${
    t('cards.return.backToBill', { reference: input.reference })}</a></p>`;
  const { status } = input.outcome;
  if (status === 'succeeded') {
    return renderPage(context, { title: t('cards.succeeded.title'),
      main: html`<h1>${t('cards.succeeded.title')}</h1>
<p class="notice" role="status">${t('cards.succeeded.body', { amount,
  reference: input.reference })}</p>
<p><a class="button" href="${payPaths.receipt(input.reference)}">${
  t('cards.succeeded.receipt')}</a></p>${back}` });
  }
  if (status === 'failed' || status === 'expired') {
    const code = status === 'expired' ? 'expired' : input.outcome.failureCode ?? '';
    return renderPage(context, { title: t('cards.failed.title'),
      main: html`<h1>${t('cards.failed.title')}</h1>
<p class="notice" role="status">${t(failureKeys[code] ?? 'cards.failed.other')}</p>
<p>${t('cards.failed.nothingTaken')}</p>
<p><a class="button" href="${payPaths.invoice(input.reference)}">${
  t('cards.failed.tryAgain')}</a></p>` });
  }
  return renderPage(context, { title: t('cards.waiting.title'),
    main: html`<h1>${t('cards.waiting.title')}</h1>
<p class="notice" role="status">${t('cards.waiting.body', { amount })}</p>
<p><a href="${input.selfHref}">${t('cards.waiting.checkAgain')}</a></p>${back}` });
}

export function renderCannotStartPage(
  context: PageContext,
  input: Readonly<{ reference: string; problemKey: string }>,
): string {
  const { t } = context;
  return renderPage(context, { title: t('cards.cannotStart.title'),
    main: html`<h1>${t('cards.cannotStart.title')}</h1>
<p class="notice" role="alert">${t(input.problemKey)}</p>
<p><a href="${payPaths.invoice(input.reference)}">${
  t('cards.return.backToBill', { reference: input.reference })}</a></p>` });
}
