/**
 * The public transparency pages (no sign-in): revenue per agency per day or month (a period
 * form that works without JavaScript, a server-rendered SVG chart with its table, the table
 * being the data), settlement lag per agency, services on-boarded per agency, the compliance
 * scorecard; each links its open data. Agency names come from the catalogue, so every page
 * credits the eCitizen dataset (CC BY 4.0). No personal data is given to these views at all.
 */
import { catalogueSource } from '#modules/catalogue/index.ts';
import type { ScorecardRow } from '#modules/agencies/index.ts';
import {
  html,
  kenyaDateTime,
  langAttribute,
  messageWithMarkup,
  renderPage,
  webPaths,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import { barChart, columnChart } from './reporting-chart.ts';
import type { Names } from './reporting-dashboard.ts';
import type { AgencyOnboarding, Period } from './reporting-read.ts';
import { amount, nameCell } from './reporting-views.ts';
import type { PublicLags, PublicRevenue, RevenueView } from './public-data.ts';
import type { OpenDataset } from './public-open-data.ts';

export const transparencyPaths = {
  revenue: webPaths.transparency,
  settlement: `${webPaths.transparency}/settlement`,
  services: `${webPaths.transparency}/services`,
  scorecard: `${webPaths.transparency}/scorecard`,
  data: (dataset: OpenDataset, format: 'csv' | 'json', period?: Period): string =>
    `${webPaths.transparency}/data/${dataset}.${format}${period === undefined ? ''
      : `?from=${period.from}&to=${period.to}`}`,
  revenueFor: (input: Readonly<{ period: Period; view: RevenueView; agencyId?: string }>):
    string => `${webPaths.transparency}?${new URLSearchParams({ from: input.period.from,
    to: input.period.to, view: input.view,
    ...(input.agencyId === undefined ? {} : { agency: input.agencyId }) }).toString()}`,
  page: (base: string, page: number): string => page <= 1 ? base : `${base}?page=${page}`,
} as const;

/** Rows a page shows; the open data has every row. */
export const publicRowsMax = 50;
export const publicPageSize = 100;
const chartBarsMax = 10;

/** The line CC BY 4.0 asks for: agency names and services come from the eCitizen dataset. */
function credit(context: PageContext): SafeHtml {
  const title = html`<a href="${catalogueSource.url}"${langAttribute(context.language, 'en')}>${
    catalogueSource.title}</a>`;
  const licence = html`<a href="${catalogueSource.licenceUrl}" rel="license">${
    catalogueSource.licence}</a>`;
  return messageWithMarkup(context.t, 'transparency.credit',
    { title, author: catalogueSource.author, licence });
}

function subNavigation(context: PageContext, current: string): SafeHtml {
  const { t } = context;
  const items = [[transparencyPaths.revenue, 'transparency.nav.revenue'],
    [transparencyPaths.settlement, 'transparency.nav.settlement'],
    [transparencyPaths.services, 'transparency.nav.services'],
    [transparencyPaths.scorecard, 'transparency.nav.scorecard']] as const;
  return html`<nav aria-label="${t('transparency.nav.label')}"><ul class="links">${
    items.map(([href, key]) => html`<li><a href="${href}"${href === current
      ? html` aria-current="page"` : html``}>${t(key)}</a></li>`)}</ul></nav>`;
}

function downloads(context: PageContext, dataset: OpenDataset, period?: Period): SafeHtml {
  const { t } = context;
  return html`<p>${t('transparency.openData')} <a href="${transparencyPaths.data(dataset, 'csv',
    period)}" download>CSV</a> · <a href="${
    transparencyPaths.data(dataset, 'json', period)}">JSON</a></p>`;
}

type PublicPage = Readonly<{ title: string; current: string; body: SafeHtml;
  problem?: string | undefined }>;

function publicPage(context: PageContext, page: PublicPage): string {
  const { t } = context;
  return renderPage(context, {
    title: page.title,
    main: html`${page.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('transparency.problem')}</h2><p>${page.problem}</p></div>`}
<h1>${page.title}</h1><p class="lede">${t('transparency.lede')}</p>
${subNavigation(context, page.current)}
${page.body}`,
    footerNote: credit(context),
  });
}

function periodForm(context: PageContext, revenue: PublicRevenue): SafeHtml {
  const { t } = context;
  const option = (view: RevenueView) => html`<option value="${view}"${revenue.view === view
    ? html` selected` : html``}>${t(`transparency.view.${view}`)}</option>`;
  return html`<form method="get" action="${transparencyPaths.revenue}" class="filters">
<div class="field"><label for="from">${t('transparency.period.from')}</label>
<input type="date" id="from" name="from" value="${revenue.period.from}"></div>
<div class="field"><label for="to">${t('transparency.period.to')}</label>
<input type="date" id="to" name="to" value="${revenue.period.to}"></div>
<div class="field"><label for="view">${t('transparency.view.label')}</label>
<select id="view" name="view">${option('day')}${option('month')}</select></div>${
  revenue.agencyId === undefined ? html`` : html`<input type="hidden" name="agency" value="${
    revenue.agencyId}">`}
<button type="submit">${t('transparency.period.show')}</button></form>`;
}

function seriesSection(context: PageContext, revenue: PublicRevenue): SafeHtml {
  const { t } = context;
  const currencies = [...new Set(revenue.series.map((row) => row.currency))];
  const charts = currencies.map((currency) => columnChart(`chart-revenue-${currency}`,
    t(`transparency.revenue.chart.${revenue.view}`, { currency }),
    t('transparency.revenue.chartDesc', { currency, from: revenue.period.from,
      to: revenue.period.to }), revenue.series.filter((row) => row.currency === currency)
      .map((row) => ({ label: row.key, amountMinor: row.amountMinor }))));
  return html`<section aria-labelledby="revenue-series"><h2 id="revenue-series">${
    t(`transparency.revenue.title.${revenue.view}`)}</h2>
${revenue.series.length === 0 ? html`<p>${t('transparency.none')}</p>` : html`${charts}
<table><caption>${t(`transparency.revenue.caption.${revenue.view}`)}</caption><thead><tr>
<th scope="col">${t(`transparency.col.${revenue.view}`)}</th>
<th scope="col">${t('transparency.col.currency')}</th>
<th scope="col">${t('transparency.col.revenue')}</th></tr></thead>
<tbody>${revenue.series.map((row) => html`<tr><th scope="row">${row.key}</th><td>${
  row.currency}</td>${amount(context, row.amountMinor, row.currency)}</tr>`)}</tbody></table>`}
</section>`;
}

function agencySection(context: PageContext, revenue: PublicRevenue): SafeHtml {
  const { t } = context;
  const top = revenue.byAgency.filter((row) => row.currency === 'KES').slice(0, chartBarsMax);
  const link = (agencyId: string) => html`<a href="${transparencyPaths.revenueFor({
    period: revenue.period, view: revenue.view, agencyId })}">${nameCell(context,
    revenue.names, agencyId, 'reporting.unknownAgency')}</a>`;
  return html`<section aria-labelledby="revenue-agencies"><h2 id="revenue-agencies">${
    t('transparency.agencies.title')}</h2>
${revenue.byAgency.length === 0 ? html`<p>${t('transparency.none')}</p>` : html`${
  top.length === 0 ? html`` : barChart('chart-agencies', t('transparency.agencies.chart',
    { count: String(top.length) }), t('transparency.agencies.chartDesc'), top.map((row) =>
    ({ label: revenue.names.get(row.key)?.en ?? row.key, amountMinor: row.amountMinor })))}
<table><caption>${t('transparency.agencies.caption')}</caption><thead><tr>
<th scope="col">${t('transparency.col.agency')}</th>
<th scope="col">${t('transparency.col.currency')}</th>
<th scope="col">${t('transparency.col.revenue')}</th></tr></thead>
<tbody>${revenue.byAgency.slice(0, publicRowsMax).map((row) => html`<tr><th scope="row">${
  link(row.key)}</th><td>${row.currency}</td>${amount(context, row.amountMinor,
  row.currency)}</tr>`)}</tbody></table>${revenue.byAgency.length > publicRowsMax
  ? html`<p>${t('transparency.more', { shown: String(publicRowsMax),
    count: String(revenue.byAgency.length) })}</p>` : html``}`}
</section>`;
}

export function renderRevenuePage(context: PageContext, revenue: PublicRevenue,
  problem?: string): string {
  const { t } = context;
  const agency = revenue.agencyId;
  return publicPage(context, { title: t('transparency.title'),
    current: transparencyPaths.revenue, problem, body: html`${agency === undefined ? html``
      : html`<p>${t('transparency.revenue.oneAgency')} <strong>${nameCell(context,
        revenue.names, agency, 'reporting.unknownAgency')}</strong>. <a href="${
        transparencyPaths.revenueFor({ period: revenue.period, view: revenue.view })}">${
        t('transparency.revenue.allAgencies')}</a></p>`}
<p>${t('transparency.revenue.intro')}</p>
${periodForm(context, revenue)}
${seriesSection(context, revenue)}
${agency === undefined ? agencySection(context, revenue) : html``}
${downloads(context, revenue.view === 'day' ? 'revenue' : 'revenue-monthly',
    revenue.period)}` });
}

export function renderSettlementPage(context: PageContext, input: PublicLags): string {
  const { t, language } = context;
  const hours = (value: number | null): string => value === null ? '–' : value.toFixed(1);
  return publicPage(context, { title: t('transparency.settlement.title'),
    current: transparencyPaths.settlement, body: html`<p>${t('transparency.settlement.intro')}</p>
${input.lags.length === 0 ? html`<p>${t('transparency.none')}</p>` : html`<table>
<caption>${t('transparency.settlement.caption', { at: kenyaDateTime(input.asOf, language) })}
</caption><thead><tr><th scope="col">${t('transparency.col.agency')}</th>
<th scope="col">${t('reporting.col.settledEntries')}</th>
<th scope="col">${t('reporting.col.medianHours')}</th>
<th scope="col">${t('reporting.col.maxHours')}</th>
<th scope="col">${t('reporting.col.oldest')}</th><th scope="col">${t('reporting.col.sla')}</th>
</tr></thead><tbody>${input.lags.map((row) => html`<tr><th scope="row">${nameCell(context,
  input.names, row.agencyId, 'reporting.unknownAgency')}</th><td class="num">${
  String(row.settledEntries)}</td><td class="num">${hours(row.medianHours)}</td>
<td class="num">${hours(row.maxHours)}</td><td>${row.oldestUnsettledAt === null ? '–'
  : kenyaDateTime(row.oldestUnsettledAt, language)}</td><td>${t(row.breached
  ? 'reporting.lag.breached' : 'reporting.lag.within', { days: String(row.slaDays) })}</td>
</tr>`)}</tbody></table>`}
${downloads(context, 'settlement-lag')}` });
}

function pages(context: PageContext, base: string, page: number, count: number): SafeHtml {
  const { t } = context;
  const last = Math.max(1, Math.ceil(count / publicPageSize));
  if (last === 1) return html``;
  return html`<nav aria-label="${t('transparency.pages')}"><ul class="pagination">${page > 1
    ? html`<li><a rel="prev" href="${transparencyPaths.page(base, page - 1)}">${
      t('transparency.previous')}</a></li>` : html``}<li aria-current="page">${
    t('transparency.pageOf', { page: String(page), pages: String(last) })}</li>${page < last
    ? html`<li><a rel="next" href="${transparencyPaths.page(base, page + 1)}">${
      t('transparency.next')}</a></li>` : html``}</ul></nav>`;
}

const namesOfServices = (rows: readonly AgencyOnboarding[]): Names =>
  new Map(rows.map((row) => [row.agencyId, { en: row.nameEn, sw: row.nameSw }]));

export function renderServicesPage(context: PageContext, rows: readonly AgencyOnboarding[],
  page: number): string {
  const { t } = context;
  const names = namesOfServices(rows);
  const shown = rows.slice((page - 1) * publicPageSize, page * publicPageSize);
  const live = rows.reduce((sum, row) => sum + row.live, 0);
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  return publicPage(context, { title: t('transparency.services.title'),
    current: transparencyPaths.services, body: html`<p>${t('transparency.services.intro',
      { live: String(live), total: String(total), agencies: String(rows.length) })}</p>
${rows.length === 0 ? html`<p>${t('transparency.none')}</p>` : html`<table>
<caption>${t('transparency.services.caption')}</caption><thead><tr>
<th scope="col">${t('transparency.col.agency')}</th>
<th scope="col">${t('transparency.col.liveOfTotal')}</th>
<th scope="col">${t('transparency.col.inProgress')}</th>
<th scope="col">${t('transparency.col.notStarted')}</th>
<th scope="col">${t('transparency.col.exempt')}</th></tr></thead>
<tbody>${shown.map((row) => html`<tr><th scope="row">${nameCell(context, names, row.agencyId,
  'reporting.unknownAgency')}</th><td class="num">${t('transparency.liveOfTotal',
  { live: String(row.live), total: String(row.total) })}</td><td class="num">${
  String(row.inProgress)}</td><td class="num">${String(row.notStarted)}</td><td class="num">${
  String(row.exempt)}</td></tr>`)}</tbody></table>`}
${pages(context, transparencyPaths.services, page, rows.length)}
${downloads(context, 'services')}` });
}

export function renderScorecardPage(context: PageContext, rows: readonly ScorecardRow[],
  page: number): string {
  const { t } = context;
  const names: Names = new Map(rows.map((row) => [row.agencyId,
    { en: row.agencyNameEn, sw: row.agencyNameSw }]));
  const shown = rows.slice((page - 1) * publicPageSize, page * publicPageSize);
  return publicPage(context, { title: t('transparency.scorecard.title'),
    current: transparencyPaths.scorecard, body: html`<p>${t('transparency.scorecard.intro')}</p>
${rows.length === 0 ? html`<p>${t('transparency.none')}</p>` : html`<table>
<caption>${t('transparency.scorecard.caption')}</caption><thead><tr>
<th scope="col">${t('transparency.col.agency')}</th>
<th scope="col">${t('transparency.col.score')}</th>
<th scope="col">${t('transparency.col.onboarded')}</th>
<th scope="col">${t('transparency.col.paybills')}</th>
<th scope="col">${t('transparency.col.exemptions')}</th>
<th scope="col">${t('transparency.col.noticesOverdue')}</th></tr></thead>
<tbody>${shown.map((row) => html`<tr><th scope="row">${nameCell(context, names, row.agencyId,
  'reporting.unknownAgency')}</th><td class="num">${String(row.score)}</td><td class="num">${
  t('transparency.onboarded', { percent: String(row.onboardedPercent),
    live: String(row.servicesLive), total: String(row.servicesTotal) })}</td>
<td class="num">${t('transparency.paybills', { open: String(row.legacyPaybillsOpen),
    past: String(row.legacyPaybillsPastClosure) })}</td><td class="num">${
  String(row.exemptionsActive)}</td><td class="num">${String(row.noticesOverdue)}</td>
</tr>`)}</tbody></table>`}
${pages(context, transparencyPaths.scorecard, page, rows.length)}
${downloads(context, 'scorecard')}` });
}
