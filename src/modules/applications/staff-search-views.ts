/**
 * The staff search page and its box on the staff home. Results show references, amounts,
 * statuses and links: never a payer's name or phone number.
 */
import { documentsPaths, type ReceiptRecord } from '#modules/documents/index.ts';
import type { AllocationRow } from '#modules/payments/index.ts';
import { format as formatMoney, type Money } from '#platform/money/index.ts';
import {
  html,
  renderPage,
  summaryList,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import { dateTime, statusTag, textIn } from './application-views.ts';
import { applicationsPaths } from './applications-paths.ts';
import type { FoundApplication } from './staff-search-repo.ts';
import {
  searchQueryLengthMax,
  type InvoiceMatch,
  type SearchMatch,
  type SearchOutcome,
} from './staff-search-service.ts';

export const staffSearchPath = '/staff/search';

/** The search form; `idPrefix` keeps ids unique when the box sits on another page. */
export function searchBox(context: PageContext, query: string, idPrefix = 'search'): SafeHtml {
  const { t } = context;
  return html`<form method="get" action="${staffSearchPath}" role="search" class="search-form">
<div class="field"><label for="${idPrefix}-q">${t('applications.search.label')}</label>
<p class="hint" id="${idPrefix}-hint">${t('applications.search.hint')}</p>
<input type="search" id="${idPrefix}-q" name="q" value="${query}" maxlength="${
  String(searchQueryLengthMax)}" autocomplete="off" spellcheck="false" aria-describedby="${
  idPrefix}-hint"></div>
<button type="submit" class="button">${t('applications.search.submit')}</button></form>`;
}

function money(context: PageContext, value: Money): string {
  return formatMoney(value, context.language);
}

function applicationLink(context: PageContext, application: FoundApplication): SafeHtml {
  return html`<a href="${applicationsPaths.staffApplication(application.id)}">${
    context.t('applications.search.openApplication', { reference: application.reference })}</a>`;
}

function paysFor(context: PageContext, application: FoundApplication | undefined): SafeHtml {
  if (application === undefined) return html`${context.t('applications.search.noApplication')}`;
  return html`${applicationLink(context, application)} (${statusTag(context.t,
    application.status)})`;
}

function receiptLinks(context: PageContext, receipts: readonly ReceiptRecord[]): SafeHtml {
  if (receipts.length === 0) return html`–`;
  return html`<ul class="plain">${receipts.map((receipt) => html`<li><a href="${
    documentsPaths.staffReceipt(receipt.id)}">${context.t('applications.search.openReceipt',
    { number: receipt.number })}</a></li>`)}</ul>`;
}

function allocationsTable(context: PageContext, allocations: readonly AllocationRow[]):
  SafeHtml {
  const { t } = context;
  if (allocations.length === 0) return html`<p>${t('applications.search.noPayments')}</p>`;
  return html`<table class="table"><caption>${t('applications.search.payments')}</caption>
<thead><tr><th scope="col">${t('applications.search.paymentReceipt')}</th><th scope="col">${
  t('applications.search.channel')}</th><th scope="col">${t('applications.search.amount')}</th>
<th scope="col">${t('applications.search.paidAt')}</th></tr></thead><tbody>${
  allocations.map((allocation) => html`<tr><td>${allocation.receiptNumber ?? '–'}</td><td>${
    t(`applications.search.channel.${allocation.channel ?? 'payer_credit'}`)}</td><td>${
    money(context, allocation.amount)}</td><td>${dateTime(context, allocation.allocatedAt)}</td>
</tr>`)}</tbody></table>`;
}

function invoiceDetails(context: PageContext, match: InvoiceMatch): SafeHtml {
  const { t } = context;
  const { invoice } = match;
  const rows: [string, SafeHtml | string][] = [
    [t('applications.search.bill'), invoice.reference],
    [t('applications.search.status'), t(`applications.search.invoiceStatus.${invoice.status}`)],
    [t('applications.search.total'), money(context, invoice.total)],
    [t('applications.search.paid'), money(context, invoice.paid)],
    [t('applications.search.balanceDue'), money(context, invoice.balanceDue)],
  ];
  if (invoice.overpaid.amountMinor > 0n) {
    rows.push([t('applications.search.overpaid'), money(context, invoice.overpaid)]);
  }
  rows.push([t('applications.search.issuedAt'), dateTime(context, invoice.issuedAt)],
    [t('applications.search.expiresAt'), dateTime(context, invoice.expiresAt)],
    [t('applications.search.paysFor'), paysFor(context, match.application)],
    [t('applications.search.receipts'), receiptLinks(context, match.receipts)]);
  return html`${summaryList(rows)}${allocationsTable(context, invoice.allocations)}`;
}

function applicationResult(context: PageContext, application: FoundApplication): SafeHtml {
  const { t, language } = context;
  return html`<h3>${t('applications.search.application',
    { reference: application.reference })}</h3>${summaryList([
    [t('applications.search.service'), textIn(language,
      { en: application.serviceNameEn, sw: application.serviceNameSw })],
    [t('applications.search.status'), statusTag(t, application.status)],
    [t('applications.search.submittedAt'), application.submittedAt === null
      ? t('applications.search.notSubmitted') : dateTime(context, application.submittedAt)],
    [t('applications.search.updatedAt'), dateTime(context, application.updatedAt)],
  ])}<p>${applicationLink(context, application)}</p>`;
}

function paymentResult(context: PageContext,
  match: Extract<SearchMatch, { kind: 'payment' }>): SafeHtml {
  const { t } = context;
  const { payment } = match;
  return html`<h3>${t('applications.search.payment',
    { receipt: payment.receiptNumber ?? '–' })}</h3>${summaryList([
    [t('applications.search.amount'), money(context, payment.amount)],
    [t('applications.search.channel'), t(`applications.search.channel.${payment.channel}`)],
    [t('applications.search.paidAt'), dateTime(context, payment.paidAt)],
    [t('applications.search.disposition'),
      t(`applications.search.disposition.${payment.disposition}`)],
  ])}${payment.state.disputed ? html`<p class="warning">${t('applications.search.disputed')}</p>`
    : html``}${match.paidFor === undefined ? html`` : invoiceDetails(context, match.paidFor)}`;
}

function receiptResult(context: PageContext,
  match: Extract<SearchMatch, { kind: 'receipt' }>): SafeHtml {
  const { t, language } = context;
  const { receipt } = match;
  return html`<h3>${t('applications.search.receipt', { number: receipt.number })}</h3>${
    summaryList([
      [t('applications.search.service'), textIn(language,
        { en: receipt.serviceName, sw: receipt.details.serviceNameSw })],
      [t('applications.search.amount'), money(context, receipt.amount)],
      [t('applications.search.paidAt'), dateTime(context, receipt.paidAt)],
      [t('applications.search.bill'), receipt.invoiceReference],
      [t('applications.search.paysFor'), paysFor(context, match.application)],
    ])}<p><a href="${documentsPaths.staffReceipt(receipt.id)}">${
    t('applications.search.openReceipt', { number: receipt.number })}</a></p>`;
}

function matchResult(context: PageContext, match: SearchMatch): SafeHtml {
  switch (match.kind) {
    case 'application': return applicationResult(context, match.application);
    case 'invoice': return html`<h3>${context.t('applications.search.invoice',
      { reference: match.invoice.reference })}</h3>${invoiceDetails(context, match)}`;
    case 'payment': return paymentResult(context, match);
    case 'receipt': return receiptResult(context, match);
  }
}

function results(context: PageContext, outcome: SearchOutcome): SafeHtml {
  const { t } = context;
  if (outcome.query === '') return html``;
  if (outcome.query.length > searchQueryLengthMax) {
    return html`<p role="status">${t('applications.search.tooLong')}</p>`;
  }
  if (outcome.matches.length === 0) {
    return html`<p role="status">${t('applications.search.none', { query: outcome.query })}</p>`;
  }
  return html`<section aria-labelledby="results-title"><h2 id="results-title">${
    t('applications.search.results')}</h2><p role="status">${t('applications.search.found',
    { query: outcome.query, count: String(outcome.matches.length) })}</p>${
    outcome.matches.map((match) => html`<article class="search-result">${
      matchResult(context, match)}</article>`)}</section>`;
}

export function renderSearchPage(context: PageContext, outcome: SearchOutcome): string {
  const { t } = context;
  return renderPage(context, {
    title: outcome.query === '' ? t('applications.search.title')
      : `${outcome.query.slice(0, searchQueryLengthMax)} – ${t('applications.search.title')}`,
    main: html`<h1>${t('applications.search.title')}</h1>${
      searchBox(context, outcome.query.slice(0, searchQueryLengthMax))}${
      results(context, outcome)}`,
  });
}

/** The staff home's panel: the box alone. */
export function searchPanel(context: PageContext): SafeHtml {
  return html`<section aria-labelledby="search-panel-title"><h2 id="search-panel-title">${
    context.t('applications.search.title')}</h2>${searchBox(context, '', 'search-panel')}
</section>`;
}
