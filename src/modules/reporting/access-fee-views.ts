/**
 * The access-fee proof page (/staff/reports/access-fees) and its CSV: per currency, how many
 * invoices of the period charged exactly the gazetted fee, the totals charged and expected,
 * and every invoice that did not (there should be none).
 */
import { money, toMajorString } from '#platform/money/index.ts';
import { html, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import type { AccessFeeProof } from './reporting-access-fees.ts';
import { toCsv } from './reporting-csv.ts';
import { amount, csvLink, periodForm, reportingPaths } from './reporting-views.ts';

function totalsTable(context: PageContext, proof: AccessFeeProof): SafeHtml {
  const { t } = context;
  return html`<table><caption>${t('reporting.accessFees.totalsCaption')}</caption>
<thead><tr><th scope="col">${t('reporting.col.currency')}</th>
<th scope="col">${t('reporting.col.invoices')}</th>
<th scope="col">${t('reporting.col.matched')}</th>
<th scope="col">${t('reporting.col.mismatched')}</th>
<th scope="col">${t('reporting.col.charged')}</th>
<th scope="col">${t('reporting.col.expected')}</th></tr></thead>
<tbody>${proof.totals.map((row) => html`<tr><th scope="row">${row.currency}</th>
<td class="num">${String(row.invoices)}</td><td class="num">${String(row.matched)}</td>
<td class="num">${String(row.mismatched)}</td>${amount(context, row.chargedMinor, row.currency)}${
  amount(context, row.expectedMinor, row.currency)}</tr>`)}</tbody></table>`;
}

function mismatchTable(context: PageContext, proof: AccessFeeProof): SafeHtml {
  const { t } = context;
  return html`<table><caption>${t('reporting.accessFees.mismatchCaption')}</caption>
<thead><tr><th scope="col">${t('reporting.col.invoice')}</th>
<th scope="col">${t('reporting.col.issued')}</th>
<th scope="col">${t('reporting.col.serviceFee')}</th>
<th scope="col">${t('reporting.col.charged')}</th>
<th scope="col">${t('reporting.col.expected')}</th></tr></thead>
<tbody>${proof.mismatches.map((row) => html`<tr><th scope="row"><code>${
  row.reference}</code></th><td>${row.issuedDay}</td>${
  amount(context, row.serviceFeeMinor, row.currency)}${
  amount(context, row.chargedMinor, row.currency)}${row.expectedMinor === null
  ? html`<td>${t('reporting.accessFees.noTier')}</td>`
  : amount(context, row.expectedMinor, row.currency)}</tr>`)}</tbody></table>`;
}

export function renderAccessFeePage(context: PageContext, proof: AccessFeeProof,
  problem?: string): string {
  const { t } = context;
  const title = t('reporting.accessFees.title');
  const mismatched = proof.totals.reduce((sum, row) => sum + row.mismatched, 0);
  const invoices = proof.totals.reduce((sum, row) => sum + row.invoices, 0);
  return renderPage(context, {
    title: problem === undefined ? title : t('reporting.errorTitle', { title }),
    main: html`${problem === undefined ? html`` : html`<div class="error-summary" role="alert">
<h2>${t('reporting.problem')}</h2><p>${problem}</p></div>`}
<h1>${title}</h1><p>${t('reporting.accessFees.intro')}</p>
${periodForm(context, reportingPaths.accessFees, proof.period)}
<p><a href="${reportingPaths.dashboard}?from=${proof.period.from}&amp;to=${proof.period.to}">${
  t('reporting.accessFees.back')}</a></p>
${invoices === 0 ? html`<p>${t('reporting.accessFees.none')}</p>` : html`<p class="${
  mismatched === 0 ? 'notice' : 'error-message'}" role="status">${mismatched === 0
  ? t('reporting.accessFees.allMatched', { count: String(invoices) })
  : t('reporting.accessFees.someMismatched', { count: String(mismatched) })}</p>
${totalsTable(context, proof)}${proof.mismatches.length === 0 ? html``
  : mismatchTable(context, proof)}${proof.mismatchesListed ? html``
  : html`<p>${t('reporting.accessFees.moreInCsv')}</p>`}`}
${csvLink(context, reportingPaths.accessFeesCsv(proof.period))}`,
  });
}

/** Every case of the period (invoices alike), with whether it matched, and its invoices. */
export function accessFeeCsv(proof: AccessFeeProof): string {
  const major = (amountMinor: bigint | null, currency: 'KES' | 'USD') =>
    amountMinor === null ? '' : toMajorString(money(amountMinor, currency));
  return toCsv([['currency', 'issued_day', 'service_fee', 'access_fee_charged',
    'access_fee_gazetted', 'invoices', 'matches'],
  ...proof.cases.map((row) => [row.currency, row.issuedDay,
    major(row.serviceFeeMinor, row.currency), major(row.chargedMinor, row.currency),
    major(row.expectedMinor, row.currency), String(row.invoices), row.matches ? 'yes' : 'no'])]);
}
