/**
 * The hosted checkout (invoice_link): what the payer owes the agency, the access fee shown
 * apart, how to pay by paybill, and a form sending the M-Pesa prompt to their phone. After a
 * prompt the page reloads itself with JavaScript off (a meta refresh inside <noscript>) and
 * offers a "check again" link; once paid it sends the payer back to the agency's
 * callBackURLOnSuccess by a link. Small: no script, no image.
 */
import { format, type Money } from '#platform/money/index.ts';
import { html, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import { pesaflowPaths } from './pesaflow-paths.ts';

export const checkoutRefreshSeconds = 10;

export type CheckoutPageInput = Readonly<{
  requestId: string;
  agencyName: string;
  billDesc: string;
  reference: string;
  net: Money;
  commission: Money;
  total: Money;
  balanceDue: Money;
  /** paid, partial, pending, cancelled, expired (the status query's words). */
  status: string;
  receipts: readonly string[];
  paybill: string;
  callbackSuccess: string;
  callbackFailure: string | null;
  csrf: SafeHtml;
  notice?: 'sent' | undefined;
  /** The message key of a problem with the phone form. */
  problem?: string | undefined;
  phone?: string | undefined;
}>;

function summary(context: PageContext, input: CheckoutPageInput): SafeHtml {
  const { t, language } = context;
  return html`<table><caption>${t('pesaflow.checkout.summary')}</caption><tbody>
<tr><th scope="row">${input.billDesc}</th><td>${format(input.net, language)}</td></tr>
<tr><th scope="row">${t('pesaflow.checkout.accessFee')}</th><td>${
  format(input.commission, language)}</td></tr>
<tr><th scope="row">${t('pesaflow.checkout.total')}</th><td><strong>${
  format(input.total, language)}</strong></td></tr></tbody></table>`;
}

function phoneForm(context: PageContext, input: CheckoutPageInput): SafeHtml {
  const { t } = context;
  const invalid = input.problem !== undefined;
  return html`<h2>${t('pesaflow.checkout.stkTitle')}</h2>
<form method="post" action="${pesaflowPaths.stk}">${input.csrf}
<input type="hidden" name="request_id" value="${input.requestId}">
<div class="field${invalid ? ' field-error' : ''}"><label for="phone">${
  t('pesaflow.checkout.phone')}</label>
<p class="hint" id="phone-hint">${t('pesaflow.checkout.phoneHint')}</p>
${invalid ? html`<p class="error-message" id="phone-error">${t(input.problem ?? '')}</p>` : html``}
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="16"
 required value="${input.phone ?? ''}" aria-describedby="phone-hint${
  invalid ? ' phone-error' : ''}"${invalid ? html` aria-invalid="true"` : html``}></div>
<button type="submit">${t('pesaflow.checkout.send')}</button></form>`;
}

function payable(context: PageContext, input: CheckoutPageInput): SafeHtml {
  const { t, language } = context;
  const due = format(input.balanceDue, language);
  return html`${input.notice === 'sent' ? html`<noscript><meta http-equiv="refresh"
 content="${String(checkoutRefreshSeconds)}"></noscript><div class="notice" role="status"><p>${
  t('pesaflow.checkout.sent', { amount: due })}</p><p><a href="${
  pesaflowPaths.page(input.requestId, 'sent')}">${t('pesaflow.checkout.checkAgain')}</a></p>
</div>` : html``}
<h2>${t('pesaflow.checkout.paybillTitle')}</h2>
<ol><li>${t('pesaflow.checkout.step.paybill', { paybill: input.paybill })}</li>
<li>${t('pesaflow.checkout.step.account', { reference: input.reference })}</li>
<li>${t('pesaflow.checkout.step.amount', { amount: due })}</li></ol>
${phoneForm(context, input)}
<p><a href="${pesaflowPaths.page(input.requestId)}">${t('pesaflow.checkout.paidAlready')}</a></p>`;
}

function paid(context: PageContext, input: CheckoutPageInput): SafeHtml {
  const { t } = context;
  return html`<div class="notice" role="status"><p>${t('pesaflow.checkout.paid')}</p>${
    input.receipts.length === 0 ? html`` : html`<p>${t('pesaflow.checkout.receipts',
      { receipts: input.receipts.join(', ') })}</p>`}</div>
<p><a class="button" href="${input.callbackSuccess}">${t('pesaflow.checkout.return',
    { agency: input.agencyName })}</a></p>`;
}

function closed(context: PageContext, input: CheckoutPageInput): SafeHtml {
  const { t } = context;
  return html`<div class="error-summary" role="alert"><p>${
    t(`pesaflow.checkout.closed.${input.status === 'cancelled' ? 'cancelled' : 'expired'}`)}</p>
</div>${input.callbackFailure === null ? html`` : html`<p><a href="${input.callbackFailure}">${
  t('pesaflow.checkout.return', { agency: input.agencyName })}</a></p>`}`;
}

function body(context: PageContext, input: CheckoutPageInput): SafeHtml {
  if (input.status === 'paid') return paid(context, input);
  if (input.status === 'pending' || input.status === 'partial') return payable(context, input);
  return closed(context, input);
}

export function renderCheckoutPage(context: PageContext, input: CheckoutPageInput): string {
  const { t } = context;
  const title = t('pesaflow.checkout.title', { agency: input.agencyName });
  return renderPage(context, {
    title,
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('pesaflow.checkout.problem')}</h2><p><a href="#phone">${
  t(input.problem)}</a></p></div>`}
<h1>${title}</h1>
<p class="lede">${t('pesaflow.checkout.reference', { reference: input.reference })}</p>
${summary(context, input)}
${body(context, input)}`,
  });
}
