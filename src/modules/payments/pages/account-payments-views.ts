/**
 * The citizen's payments page: the money paid towards their bills (date, M-Pesa receipt,
 * amount, channel, the bill, Huduma's receipt) and their credit, with what it can do: pay an
 * open bill from it (on that bill's pay page). All copy from the locale files.
 */
import { format, type Money } from '#platform/money/index.ts';
import {
  html,
  localised,
  pagination,
  renderPage,
  type LocalisedText,
  type PageContext,
  type SafeHtml,
  type Translate,
} from '#web/index.ts';
import { accountMoneyPaths } from './account-money-paths.ts';
import { actingForNotice, formatDate } from './account-money-views.ts';
import type { ActingFor } from './pay-access.ts';
import { payPaths } from './pay-paths.ts';

export type PaymentItem = Readonly<{
  paidAt: Date;
  providerReference: string | null;
  amount: Money;
  channel: string | null;
  invoiceReference: string;
  serviceName: LocalisedText;
  /** Huduma's receipt: its number and page, once issued. */
  receipt: Readonly<{ number: string; href: string }> | undefined;
}>;

export type PaymentsPageInput = Readonly<{
  payments: readonly PaymentItem[];
  total: number;
  page: number;
  pageSize: number;
  credit: Money;
  /** Open bills the credit can pay (their pay pages offer it). */
  openBills: readonly Readonly<{ reference: string; serviceName: LocalisedText }>[];
  actingFor: ActingFor | undefined;
}>;

function channelText(t: Translate, channel: string | null): string {
  const known = ['mpesa_stk', 'mpesa_c2b', 'card', 'payer_credit', 'kept_as_credit'];
  return t(channel !== null && known.includes(channel) ? `accountMoney.channel.${channel}`
    : 'accountMoney.channel.other');
}

function paymentsTable(context: PageContext, input: PaymentsPageInput): SafeHtml {
  const { t, language } = context;
  if (input.payments.length === 0) return html`<p>${t('accountMoney.payments.none')}</p>`;
  const rows = input.payments.map((payment) => html`<tr>
<td>${formatDate(payment.paidAt, language)}</td>
<td>${localised(language, payment.serviceName)}<br><a href="${
  payPaths.invoice(payment.invoiceReference)}">${payment.invoiceReference}</a></td>
<td class="num">${format(payment.amount, language)}</td>
<td>${channelText(t, payment.channel)}</td><td>${payment.providerReference ?? '—'}</td>
<td>${payment.receipt === undefined ? t(payment.channel === 'kept_as_credit'
    ? 'accountMoney.payments.noReceipt' : 'accountMoney.payments.receiptPending')
    : html`<a href="${payment.receipt.href}">${payment.receipt.number}</a>`}</td></tr>`);
  return html`<table><caption>${t('accountMoney.payments.caption')}</caption>
<thead><tr><th scope="col">${t('accountMoney.payments.date')}</th>
<th scope="col">${t('accountMoney.payments.bill')}</th>
<th scope="col" class="num">${t('accountMoney.bills.amount')}</th>
<th scope="col">${t('accountMoney.payments.channel')}</th>
<th scope="col">${t('accountMoney.payments.mpesaReceipt')}</th>
<th scope="col">${t('accountMoney.payments.hudumaReceipt')}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function creditSection(context: PageContext, input: PaymentsPageInput): SafeHtml {
  const { t, language } = context;
  const amount = format(input.credit, language);
  if (input.credit.amountMinor <= 0n) {
    return html`<h2>${t('accountMoney.credit.title')}</h2>
<p>${t('accountMoney.credit.none')}</p>`;
  }
  const bills = input.openBills.length === 0 ? html`<p>${t('accountMoney.credit.noOpenBills')}</p>`
    : html`<p>${t('accountMoney.credit.useOn')}</p><ul>${input.openBills.map((bill) =>
      html`<li><a href="${payPaths.invoice(bill.reference)}">${
        localised(language, bill.serviceName)} (${bill.reference})</a></li>`)}</ul>`;
  return html`<h2>${t('accountMoney.credit.title')}</h2>
<p>${t('accountMoney.credit.balance', { amount })}</p>${bills}
<p><a href="/account/refunds/new">${t('accountMoney.credit.refund')}</a></p>`;
}

export function renderPaymentsPage(context: PageContext, input: PaymentsPageInput): string {
  const { t } = context;
  return renderPage(context, {
    title: t('accountMoney.payments.title'),
    main: html`<h1>${t('accountMoney.payments.title')}</h1>
${actingForNotice(t, input.actingFor)}
${creditSection(context, input)}
<h2>${t('accountMoney.payments.caption')}</h2>
${paymentsTable(context, input)}
${pagination(t, { page: input.page, pageSize: input.pageSize, total: input.total,
    hrefFor: (page) => accountMoneyPaths.payments(page) })}
<p><a href="${accountMoneyPaths.bills()}">${t('accountMoney.bills.link')}</a></p>`,
  });
}
