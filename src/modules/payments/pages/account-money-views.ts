/**
 * The citizen's money pages: their bills by group (open, paid, expired, cancelled) with Pay and
 * Cancel, the cancel confirmation, and their payments with receipts and credit. Every page says
 * whom the citizen acts for. Works with JavaScript off; all copy from the locale files.
 */
import { format, type Money } from '#platform/money/index.ts';
import {
  html,
  localised,
  pagination,
  renderPage,
  summaryList,
  type Language,
  type LocalisedText,
  type PageContext,
  type SafeHtml,
  type Translate,
} from '#web/index.ts';
import type { InvoiceStatus } from '../invoice-status.ts';
import { accountMoneyPaths, billGroups, type BillGroup } from './account-money-paths.ts';
import type { CancelRefusal } from './bill-cancel-policy.ts';
import type { ActingFor } from './pay-access.ts';
import { payPaths } from './pay-paths.ts';

const dateFormatters = new Map<Language, Intl.DateTimeFormat>();

/** Kenya time, whatever the server's zone. */
export function formatDate(value: Date, language: Language): string {
  let formatter = dateFormatters.get(language);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(language === 'sw' ? 'sw-KE' : 'en-KE', {
      dateStyle: 'medium', timeZone: 'Africa/Nairobi',
    });
    dateFormatters.set(language, formatter);
  }
  return formatter.format(value);
}

/** "You are acting for Y (signed in as X)": on every money page when acting for someone. */
export function actingForNotice(t: Translate, actingFor: ActingFor | undefined): SafeHtml {
  if (actingFor === undefined) return html``;
  return html`<p class="notice" role="status">${
    t('accountMoney.actingFor', { by: actingFor.by, for: actingFor.for })}</p>`;
}

/** "You are paying as X for Y": the pay page's line when acting for someone. */
export function payingForNotice(t: Translate, actingFor: ActingFor | undefined): SafeHtml {
  if (actingFor === undefined) return html``;
  return html`<p class="notice" role="status">${
    t('payPages.actingFor', { by: actingFor.by, for: actingFor.for })}</p>`;
}

export type BillItem = Readonly<{
  reference: string;
  serviceName: LocalisedText;
  total: Money;
  balanceDue: Money;
  status: InvoiceStatus;
  issuedAt: Date;
  expiresAt: Date;
  cancellable: boolean;
  /** The bill's id when the payer may ask for its refund (the wrong service). */
  refundable?: string | undefined;
}>;

export type BillsPageInput = Readonly<{
  group: BillGroup;
  counts: Readonly<Record<BillGroup, number>>;
  bills: readonly BillItem[];
  page: number;
  pageSize: number;
  actingFor: ActingFor | undefined;
  notice: string | undefined;
}>;

function groupTabs(t: Translate, input: BillsPageInput): SafeHtml {
  return html`<nav aria-label="${t('accountMoney.bills.groupsLabel')}"><ul class="tabs">${
    billGroups.map((group) => html`<li><a href="${accountMoneyPaths.bills(group)}"${
      group === input.group ? html` aria-current="page"` : html``}>${
      t(`accountMoney.bills.group.${group}`)} (${input.counts[group]})</a></li>`)}</ul></nav>`;
}

function billActions(t: Translate, bill: BillItem): SafeHtml {
  const open = bill.status === 'unpaid' || bill.status === 'partially_paid';
  const pay = html`<a href="${payPaths.invoice(bill.reference)}">${open
    ? t('accountMoney.bills.pay', { reference: bill.reference })
    : t('accountMoney.bills.view', { reference: bill.reference })}</a>`;
  const cancel = bill.cancellable
    ? html` <a href="${accountMoneyPaths.cancelBill(bill.reference)}">${
      t('accountMoney.bills.cancel', { reference: bill.reference })}</a>` : html``;
  const refund = bill.refundable === undefined ? html``
    : html` <a href="/account/refunds/new?invoiceId=${bill.refundable}">${
      t('accountMoney.bills.refund', { reference: bill.reference })}</a>`;
  return html`${pay}${cancel}${refund}`;
}

function billsTable(context: PageContext, input: BillsPageInput): SafeHtml {
  const { t, language } = context;
  if (input.bills.length === 0) {
    return html`<p>${t(`accountMoney.bills.none.${input.group}`)}</p>`;
  }
  const rows = input.bills.map((bill) => html`<tr>
<td>${localised(language, bill.serviceName)}</td><td>${bill.reference}</td>
<td class="num">${format(bill.total, language)}</td>
<td class="num">${format(bill.balanceDue, language)}</td>
<td>${formatDate(bill.issuedAt, language)}</td><td>${formatDate(bill.expiresAt, language)}</td>
<td>${t(`payments.invoiceStatus.${bill.status}`)}</td><td>${billActions(t, bill)}</td></tr>`);
  return html`<table><caption>${t(`accountMoney.bills.group.${input.group}`)}</caption>
<thead><tr><th scope="col">${t('accountMoney.bills.service')}</th>
<th scope="col">${t('accountMoney.bills.reference')}</th>
<th scope="col" class="num">${t('accountMoney.bills.amount')}</th>
<th scope="col" class="num">${t('accountMoney.bills.due')}</th>
<th scope="col">${t('accountMoney.bills.issued')}</th>
<th scope="col">${t('accountMoney.bills.expires')}</th>
<th scope="col">${t('accountMoney.bills.status')}</th>
<th scope="col">${t('accountMoney.bills.actions')}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export function renderBillsPage(context: PageContext, input: BillsPageInput): string {
  const { t } = context;
  return renderPage(context, {
    title: t('accountMoney.bills.title'),
    main: html`<h1>${t('accountMoney.bills.title')}</h1>
${actingForNotice(t, input.actingFor)}
${input.notice === undefined ? html`` : html`<p class="notice" role="status">${
  t(input.notice)}</p>`}
${groupTabs(t, input)}
${billsTable(context, input)}
${pagination(t, { page: input.page, pageSize: input.pageSize,
    total: input.counts[input.group],
    hrefFor: (page) => accountMoneyPaths.bills(input.group, page) })}
<p><a href="${accountMoneyPaths.payments()}">${t('accountMoney.payments.link')}</a></p>`,
  });
}

export type CancelPageInput = Readonly<{
  bill: BillItem;
  csrf: SafeHtml;
  actingFor: ActingFor | undefined;
  /** Why it cannot be cancelled, after a refused attempt (or on sight). */
  refusal: CancelRefusal | undefined;
}>;

export function renderCancelPage(context: PageContext, input: CancelPageInput): string {
  const { t, language } = context;
  const { bill } = input;
  const title = t('accountMoney.cancel.title', { reference: bill.reference });
  const refused = input.refusal === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('payPages.problem')}</h2><p>${
  t(`accountMoney.cancel.refused.${input.refusal}`)}</p></div>`;
  const form = input.refusal === undefined ? html`<p>${t('accountMoney.cancel.body')}</p>
<form method="post" action="${accountMoneyPaths.cancelBill(bill.reference)}">${input.csrf}
<button type="submit" class="warning">${t('accountMoney.cancel.submit')}</button></form>`
    : html``;
  return renderPage(context, {
    title: input.refusal === undefined ? title : t('payPages.errorTitle', { title }),
    main: html`${refused}<h1>${title}</h1>
${actingForNotice(t, input.actingFor)}
${summaryList([
    [t('accountMoney.bills.service'), localised(language, bill.serviceName)],
    [t('accountMoney.bills.reference'), bill.reference],
    [t('accountMoney.bills.amount'), format(bill.total, language)],
    [t('accountMoney.bills.status'), t(`payments.invoiceStatus.${bill.status}`)],
  ])}
${form}
<p><a href="${accountMoneyPaths.bills()}">${t('accountMoney.cancel.keep')}</a></p>`,
  });
}
