/**
 * The published agent-fee table (public), the citizen's "made through an agent" section of
 * their account page, and the agency's list of its bills that came through agents.
 */
import { html, kenyaDateTime, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import { assistedPaths } from './assisted-paths.ts';
import type { ListedBill } from './bill-listing.ts';
import type { PublishedCap } from './fee-cap-service.ts';
import { amount } from './view-parts.ts';

function serviceName(context: PageContext, en: string | null, sw: string | null): string {
  return (context.language === 'sw' ? sw ?? en : en) ?? context.t('assisted.feeTable.anyOther');
}

export function feeCapsTable(context: PageContext, caps: readonly PublishedCap[]): SafeHtml {
  const { t } = context;
  if (caps.length === 0) return html`<p>${t('assisted.feeTable.none')}</p>`;
  return html`<table><caption>${t('assisted.feeTable.caption')}</caption><thead><tr>
<th scope="col">${t('assisted.feeTable.service')}</th>
<th scope="col" class="num">${t('assisted.feeTable.cap')}</th>
<th scope="col">${t('assisted.feeTable.from')}</th></tr></thead><tbody>${caps.map((cap) =>
  html`<tr><td>${serviceName(context, cap.serviceNameEn, cap.serviceNameSw)}</td>
<td class="num">${amount(context, cap.cap)}</td><td>${cap.effectiveFrom}</td></tr>`)}
</tbody></table>`;
}

export function renderFeeTablePage(context: PageContext, caps: readonly PublishedCap[]): string {
  const { t } = context;
  const title = t('assisted.feeTable.title');
  return renderPage(context, { title, main: html`<h1>${title}</h1>
<p>${t('assisted.feeTable.intro')}</p>${feeCapsTable(context, caps)}
<p>${t('assisted.feeTable.never')}</p>` });
}

function billsTable(context: PageContext, bills: readonly ListedBill[], caption: string):
  SafeHtml {
  const { t, language } = context;
  return html`<table><caption>${caption}</caption><thead><tr>
<th scope="col">${t('assisted.list.when')}</th><th scope="col">${t('assisted.list.bill')}</th>
<th scope="col">${t('assisted.list.service')}</th><th scope="col">${t('assisted.list.agent')}</th>
<th scope="col" class="num">${t('assisted.bill.governmentFee')}</th>
<th scope="col" class="num">${t('assisted.bill.agentFeeRow')}</th></tr></thead><tbody>${
  bills.map((bill) => html`<tr><td>${kenyaDateTime(bill.createdAt, language)}</td>
<td>${bill.billReference}</td>
<td>${serviceName(context, bill.serviceNameEn, bill.serviceNameSw)}</td>
<td>${bill.agentNumber} (${bill.agentName})</td>
<td class="num">${amount(context, bill.governmentFee)}</td>
<td class="num">${amount(context, bill.agentFee)}</td></tr>`)}</tbody></table>`;
}

/** The account page's section; nothing when no agent ever served this person. */
export function citizenSection(context: PageContext, bills: readonly ListedBill[]):
  SafeHtml | undefined {
  if (bills.length === 0) return undefined;
  const { t } = context;
  return html`<section aria-labelledby="assisted-title"><h2 id="assisted-title">${
    t('assisted.account.title')}</h2><p>${t('assisted.account.intro')}</p>${
    billsTable(context, bills, t('assisted.account.caption'))}</section>`;
}

export function renderAgencyBillsPage(context: PageContext, bills: readonly ListedBill[],
  applications?: SafeHtml): string {
  const { t } = context;
  const title = t('assisted.agency.title');
  return renderPage(context, { title, main: html`<h1>${title}</h1>
<p>${t('assisted.agency.intro')}</p>${bills.length === 0 ? html`<p>${t('assisted.agency.none')}</p>`
    : billsTable(context, bills, t('assisted.agency.caption'))}${applications ?? html``}
<p><a href="${assistedPaths.feeTable}">${t('assisted.feeTable.link')}</a></p>` });
}

export function agentBillsSection(context: PageContext, bills: readonly ListedBill[]): SafeHtml {
  const { t } = context;
  return bills.length === 0 ? html`` : html`<h2>${t('assisted.home.recent')}</h2>${
    billsTable(context, bills, t('assisted.home.recentCaption'))}`;
}
