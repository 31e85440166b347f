/**
 * The pay page: the invoice (lines, total, paid, balance, status), then every way to pay it
 * that the invoice's state allows: the M-Pesa prompt, the paybill steps, credit, and the other
 * channels' adapters. Works with JavaScript off; all copy from the locale files.
 */
import { format, type Money } from '#platform/money/index.ts';
import {
  html,
  localised,
  renderPage,
  summaryList,
  type LocalisedText,
  type PageContext,
  type SafeHtml,
  type Translate,
} from '#web/index.ts';
import type { InvoiceView } from '../invoice-service.ts';
import type { PaymentChannelAdapter } from './payment-channels.ts';
import { payingForNotice } from './account-money-views.ts';
import type { ActingFor } from './pay-access.ts';
import { payPaths } from './pay-paths.ts';

export type PayPageInput = Readonly<{
  invoice: InvoiceView;
  serviceName: LocalisedText;
  paybill: string;
  credit: Money;
  channels: readonly PaymentChannelAdapter[];
  requestKey: string;
  csrf: SafeHtml;
  /** The typed phone number and its problem, after a refused submission. */
  phone?: Readonly<{ value: string; errorKey: string }>;
  /** A problem with the last action, shown in the error summary. */
  problemKey?: string;
  /** Who pays for whom, when the payer acts for a dependant or a business. */
  actingFor?: ActingFor;
}>;

function linesTable(context: PageContext, invoice: InvoiceView): SafeHtml {
  const { t, language } = context;
  const row = (label: string, amount: Money, className = '') => html`<tr${
    className === '' ? html`` : html` class="${className}"`}><th scope="row">${label}</th>
<td class="num">${format(amount, language)}</td></tr>`;
  return html`<table class="fees"><caption>${t('payPages.invoice.caption')}</caption>
<thead><tr><th scope="col">${t('payPages.invoice.item')}</th>
<th scope="col" class="num">${t('payPages.invoice.amount')}</th></tr></thead>
<tbody>${invoice.lines.map((line) => row(t(`payments.lineKind.${line.kind}`), line.amount))}
${row(t('payPages.invoice.total'), invoice.total, 'total')}
${row(t('payPages.invoice.paid'), invoice.paid)}
${row(t('payPages.invoice.balance'), invoice.balanceDue, 'total')}</tbody></table>`;
}

function stkForm(context: PageContext, input: PayPageInput): SafeHtml {
  const { t, language } = context;
  const { invoice } = input;
  const error = input.phone?.errorKey;
  const describedBy = error === undefined ? 'phone-hint' : 'phone-hint phone-error';
  return html`<form method="post" action="${payPaths.stkPush(invoice.reference)}" novalidate>
${input.csrf}<input type="hidden" name="requestKey" value="${input.requestKey}">
<label for="phone">${t('payPages.stk.phone')}</label>
<p class="hint" id="phone-hint">${t('payPages.stk.phoneHint')}</p>
${error === undefined ? html`` : html`<p class="error-message" id="phone-error">${t(error)}</p>`}
<input type="tel" id="phone" name="phone" autocomplete="tel" inputmode="tel" maxlength="20"
 value="${input.phone?.value ?? ''}" aria-describedby="${describedBy}"${
  error === undefined ? html`` : html` aria-invalid="true"`}>
<p><button type="submit">${t('payPages.stk.submit', {
  amount: format(invoice.balanceDue, language) })}</button></p>
</form>`;
}

/** M-Pesa takes shillings only: other currencies are told so and shown the other ways. */
function mpesaOptions(context: PageContext, input: PayPageInput): SafeHtml {
  const { t } = context;
  if (input.invoice.balanceDue.currency !== 'KES') {
    return html`<p class="notice">${t('payPages.stk.kesOnly')}</p>`;
  }
  return html`<h2>${t('payPages.stk.title')}</h2>${stkForm(context, input)}
<h2>${t('payPages.paybill.title')}</h2>${paybillSteps(context, input)}`;
}

function paybillSteps(context: PageContext, input: PayPageInput): SafeHtml {
  const { t, language } = context;
  const { invoice } = input;
  return html`<ol>
<li>${t('payPages.paybill.step1')}</li>
<li>${t('payPages.paybill.business')} <strong>${input.paybill}</strong></li>
<li>${t('payPages.paybill.account')} <strong>${invoice.reference}</strong></li>
<li>${t('payPages.paybill.amount')} <strong>${format(invoice.balanceDue, language)}</strong></li>
<li>${t('payPages.paybill.step5')}</li>
</ol>`;
}

function creditForm(context: PageContext, input: PayPageInput): SafeHtml {
  const { t, language } = context;
  if (input.credit.amountMinor <= 0n || input.credit.currency !== input.invoice.total.currency) {
    return html``;
  }
  return html`<h2>${t('payPages.credit.title')}</h2>
<p>${t('payPages.credit.body', { amount: format(input.credit, language) })}</p>
<form method="post" action="${payPaths.credit(input.invoice.reference)}">${input.csrf}
<button type="submit" class="secondary">${t('payPages.credit.submit')}</button></form>`;
}

function otherChannels(context: PageContext, input: PayPageInput): SafeHtml {
  const { t, language } = context;
  if (input.channels.length === 0) return html``;
  return html`<h2>${t('payPages.channel.title')}</h2>
${input.channels.map((adapter) => {
    const offer = adapter.offer(input.invoice, { t, language });
    const body = offer.kind === 'instructions'
      ? html`<ul>${offer.steps.map((step) => html`<li>${step}</li>`)}</ul>`
      : offer.kind === 'redirect' ? html`<p><a href="${offer.href}">${offer.label}</a></p>`
        : offer.kind === 'form' ? html`<p class="hint">${offer.hint}</p>
<form method="post" action="${offer.action}">${input.csrf}
<button type="submit">${offer.label}</button></form>`
          : html`<p class="muted">${offer.reason}</p>`;
    return html`<h3>${t(adapter.labelKey)}</h3>${body}`;
  })}`;
}

function stateNotice(t: Translate, invoice: InvoiceView): SafeHtml {
  switch (invoice.status) {
    case 'paid':
    case 'overpaid':
      return html`<p class="notice" role="status">${t(`payPages.state.${invoice.status}`)}</p>
<p><a class="button" href="${payPaths.receipt(invoice.reference)}">${
  t('payPages.state.receipt')}</a></p>`;
    case 'cancelled':
    case 'expired':
    case 'withdrawn':
      return html`<p class="notice" role="status">${t(`payPages.state.${invoice.status}`)}</p>`;
    case 'unpaid':
    case 'partially_paid':
      return html``;
  }
}

export function renderPayPage(context: PageContext, input: PayPageInput): string {
  const { t } = context;
  const { invoice } = input;
  const payable = invoice.status === 'unpaid' || invoice.status === 'partially_paid';
  const problem = input.problemKey ?? input.phone?.errorKey;
  const title = t('payPages.title');
  return renderPage(context, {
    title: problem === undefined ? title : t('payPages.errorTitle', { title }),
    main: html`${problem === undefined ? html`` : html`<div class="error-summary" role="alert">
<h2>${t('payPages.problem')}</h2><p>${input.phone === undefined ? t(problem)
  : html`<a href="#phone">${t(problem)}</a>`}</p></div>`}
<h1>${title}: ${localised(context.language, input.serviceName)}</h1>
${payingForNotice(t, input.actingFor)}
${summaryList([
    [t('payPages.invoice.reference'), html`<strong>${invoice.reference}</strong>`],
    [t('payPages.invoice.status'), t(`payments.invoiceStatus.${invoice.status}`)],
  ])}
${linesTable(context, invoice)}
${stateNotice(t, invoice)}
${payable ? html`${mpesaOptions(context, input)}
${creditForm(context, input)}${otherChannels(context, input)}` : html``}`,
  });
}
