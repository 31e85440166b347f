/**
 * The Treasury dashboard page (/staff/reports): a period form (GET, works with JavaScript
 * off), then each section as an SVG chart with its table beside it (the table is the data)
 * and a CSV link. Agency staff see their agency only; Treasury-wide sections (suspense,
 * settlement clearing, the confirmed settlements) show to platform-wide readers only.
 */
import { format, money, type Currency } from '#platform/money/index.ts';
import {
  html,
  kenyaDateTime,
  localised,
  pickText,
  renderPage,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import { barChart, columnChart } from './reporting-chart.ts';
import type { DashboardCsvTable } from './reporting-csv.ts';
import type { Dashboard, Names } from './reporting-dashboard.ts';
import { daysOf } from './reporting-period.ts';
import type { CollectionTotal, Period } from './reporting-read.ts';

export const reportingPaths = {
  dashboard: '/staff/reports',
  csv: (table: DashboardCsvTable, period: Period): string =>
    `/staff/reports/${table}.csv?from=${period.from}&to=${period.to}`,
  accessFees: '/staff/reports/access-fees',
  accessFeesCsv: (period: Period): string =>
    `/staff/reports/access-fees.csv?from=${period.from}&to=${period.to}`,
} as const;

/** Services shown on the page (every agency is); the CSV has every row. */
export const pageRowsMax = 50;
const chartBarsMax = 10;

export const amount = (context: PageContext, amountMinor: bigint, currency: Currency):
  SafeHtml => html`<td class="num">${format(money(amountMinor, currency), context.language)}</td>`;

export function nameCell(context: PageContext, names: Names, id: string | null,
  unknownKey: string): SafeHtml {
  const name = id === null ? undefined : names.get(id);
  if (name === undefined) return html`${context.t(unknownKey)}`;
  return localised(context.language, pickText(context.language, { en: name.en,
    sw: name.sw }));
}

export function periodForm(context: PageContext, action: string, period: Period): SafeHtml {
  const { t } = context;
  return html`<form method="get" action="${action}" class="report-period">
<div class="field"><label for="from">${t('reporting.period.from')}</label>
<input type="date" id="from" name="from" value="${period.from}"></div>
<div class="field"><label for="to">${t('reporting.period.to')}</label>
<input type="date" id="to" name="to" value="${period.to}"></div>
<button type="submit">${t('reporting.period.show')}</button></form>`;
}

export function csvLink(context: PageContext, href: string): SafeHtml {
  return html`<p><a href="${href}" download>${context.t('reporting.csv')}</a></p>`;
}

const totalCells = (context: PageContext, row: CollectionTotal): SafeHtml =>
  html`${amount(context, row.amountMinor, row.currency)}<td class="num">${
    row.receipts.toString()}</td>`;

function byDaySection(context: PageContext, dashboard: Dashboard): SafeHtml {
  const { t } = context;
  const currencies = [...new Set(dashboard.days.map((row) => row.currency))];
  const charts = currencies.map((currency) => {
    const byDay = new Map(dashboard.days.filter((row) => row.currency === currency)
      .map((row) => [row.day, row.amountMinor]));
    return columnChart(`chart-days-${currency}`, t('reporting.days.chart', { currency }),
      t('reporting.days.chartDesc', { currency, from: dashboard.period.from,
        to: dashboard.period.to }), daysOf(dashboard.period).map((day) =>
        ({ label: day, amountMinor: byDay.get(day) ?? 0n })));
  });
  return html`<section aria-labelledby="days"><h2 id="days">${t('reporting.days.title')}</h2>
${dashboard.days.length === 0 ? html`<p>${t('reporting.none')}</p>` : html`${charts}
<table><caption>${t('reporting.days.caption')}</caption><thead><tr>
<th scope="col">${t('reporting.col.day')}</th><th scope="col">${t('reporting.col.amount')}</th>
<th scope="col">${t('reporting.col.receipts')}</th></tr></thead>
<tbody>${dashboard.days.map((row) => html`<tr><th scope="row">${row.day}</th>${
  totalCells(context, row)}</tr>`)}</tbody></table>`}
${csvLink(context, reportingPaths.csv('collections-by-day', dashboard.period))}</section>`;
}

function byAgencySection(context: PageContext, dashboard: Dashboard): SafeHtml {
  const { t } = context;
  const name = (id: string | null): SafeHtml =>
    nameCell(context, dashboard.agencyNames, id, 'reporting.unmatched');
  const plainName = (id: string | null): string => id === null ? t('reporting.unmatched')
    : dashboard.agencyNames.get(id)?.en ?? id;
  const top = dashboard.agencies.filter((row) => row.currency === 'KES').slice(0, chartBarsMax);
  return html`<section aria-labelledby="agencies"><h2 id="agencies">${
    t('reporting.agencies.title')}</h2>
${dashboard.agencies.length === 0 ? html`<p>${t('reporting.none')}</p>` : html`${
  top.length === 0 ? html`` : barChart('chart-agencies', t('reporting.agencies.chart',
    { count: String(top.length) }), t('reporting.agencies.chartDesc'),
  top.map((row) => ({ label: plainName(row.agencyId), amountMinor: row.amountMinor })))}
<table><caption>${t('reporting.agencies.caption')}</caption><thead><tr>
<th scope="col">${t('reporting.col.agency')}</th><th scope="col">${t('reporting.col.amount')}</th>
<th scope="col">${t('reporting.col.receipts')}</th></tr></thead>
<tbody>${dashboard.agencies.map((row) => html`<tr><th scope="row">${
  name(row.agencyId)}</th>${totalCells(context, row)}</tr>`)}</tbody></table>`}
${csvLink(context, reportingPaths.csv('collections-by-agency', dashboard.period))}</section>`;
}

function byServiceSection(context: PageContext, dashboard: Dashboard): SafeHtml {
  const { t } = context;
  return html`<section aria-labelledby="services"><h2 id="services">${
    t('reporting.services.title')}</h2>
${dashboard.services.length === 0 ? html`<p>${t('reporting.none')}</p>` : html`<table>
<caption>${t('reporting.services.caption')}</caption><thead><tr>
<th scope="col">${t('reporting.col.service')}</th><th scope="col">${t('reporting.col.agency')}</th>
<th scope="col">${t('reporting.col.amount')}</th><th scope="col">${
  t('reporting.col.receipts')}</th></tr></thead>
<tbody>${dashboard.services.slice(0, pageRowsMax).map((row) => html`<tr><th scope="row">${
  nameCell(context, dashboard.serviceNames, row.serviceId, 'reporting.unmatched')}</th><td>${
  nameCell(context, dashboard.agencyNames, row.agencyId, 'reporting.unmatched')}</td>${
  totalCells(context, row)}</tr>`)}</tbody></table>${
  dashboard.services.length > pageRowsMax ? html`<p>${t('reporting.more',
    { shown: String(pageRowsMax), count: String(dashboard.services.length) })}</p>` : html``}`}
${csvLink(context, reportingPaths.csv('collections-by-service', dashboard.period))}</section>`;
}

function byChannelSection(context: PageContext, dashboard: Dashboard): SafeHtml {
  const { t } = context;
  const kes = dashboard.channels.filter((row) => row.currency === 'KES');
  return html`<section aria-labelledby="channels"><h2 id="channels">${
    t('reporting.channels.title')}</h2>
${dashboard.channels.length === 0 ? html`<p>${t('reporting.none')}</p>` : html`${
  kes.length === 0 ? html`` : barChart('chart-channels', t('reporting.channels.chart'),
    t('reporting.channels.chartDesc'), kes.map((row) => ({ label: row.channel,
      amountMinor: row.amountMinor })))}
<table><caption>${t('reporting.channels.caption')}</caption><thead><tr>
<th scope="col">${t('reporting.col.channel')}</th><th scope="col">${t('reporting.col.amount')}</th>
<th scope="col">${t('reporting.col.receipts')}</th></tr></thead>
<tbody>${dashboard.channels.map((row) => html`<tr><th scope="row"><code>${row.channel}</code></th>${
  totalCells(context, row)}</tr>`)}</tbody></table>`}
${csvLink(context, reportingPaths.csv('collections-by-channel', dashboard.period))}</section>`;
}

function positionSection(context: PageContext, dashboard: Dashboard): SafeHtml {
  const { t } = context;
  const wide = dashboard.scope === 'all';
  const optional = (value: bigint | null, currency: Currency): SafeHtml =>
    value === null ? html`` : amount(context, value, currency);
  return html`<section aria-labelledby="settlement"><h2 id="settlement">${
    t('reporting.settlement.title')}</h2><p>${t('reporting.settlement.intro')}</p>
${dashboard.position.length === 0 ? html`<p>${t('reporting.none')}</p>` : html`<table>
<caption>${t('reporting.settlement.caption', { to: dashboard.period.to })}</caption><thead><tr>
<th scope="col">${t('reporting.col.currency')}</th>
<th scope="col">${t('reporting.col.awaiting')}</th>
<th scope="col">${t('reporting.col.released')}</th>${wide ? html`
<th scope="col">${t('reporting.col.settled')}</th>
<th scope="col">${t('reporting.col.clearing')}</th>
<th scope="col">${t('reporting.col.suspense')}</th>` : html``}</tr></thead>
<tbody>${dashboard.position.map((row) => html`<tr><th scope="row">${row.currency}</th>${
  amount(context, row.awaitingMinor, row.currency)}${
  amount(context, row.releasedMinor, row.currency)}${wide ? html`${
  optional(row.settledMinor, row.currency)}${optional(row.clearingMinor, row.currency)}${
  optional(row.suspenseMinor, row.currency)}` : html``}</tr>`)}</tbody></table>`}
${csvLink(context, reportingPaths.csv('settlement', dashboard.period))}</section>`;
}

function lagSection(context: PageContext, dashboard: Dashboard): SafeHtml {
  const { t, language } = context;
  const hours = (value: number | null): string => value === null ? '–' : value.toFixed(1);
  return html`<section aria-labelledby="lag"><h2 id="lag">${t('reporting.lag.title')}</h2>
<p>${t('reporting.lag.intro')}${dashboard.lags[0] === undefined ? '' : ` ${
  t('reporting.lag.measured', { time: kenyaDateTime(dashboard.lags[0].measuredAt, language) })}`
}</p>
${dashboard.lags.length === 0 ? html`<p>${t('reporting.none')}</p>` : html`<table>
<caption>${t('reporting.lag.caption')}</caption><thead><tr>
<th scope="col">${t('reporting.col.agency')}</th>
<th scope="col">${t('reporting.col.settledEntries')}</th>
<th scope="col">${t('reporting.col.medianHours')}</th><th scope="col">${
  t('reporting.col.maxHours')}</th><th scope="col">${t('reporting.col.oldest')}</th>
<th scope="col">${t('reporting.col.sla')}</th></tr></thead>
<tbody>${dashboard.lags.map((row) => html`<tr><th scope="row">${nameCell(context,
  dashboard.agencyNames, row.agencyId, 'reporting.unknownAgency')}</th><td class="num">${
  String(row.settledEntries)}</td><td class="num">${hours(row.medianHours)}</td>
<td class="num">${hours(row.maxHours)}</td><td>${row.oldestUnsettledAt === null ? '–'
  : kenyaDateTime(row.oldestUnsettledAt, language)}</td><td>${t(row.breached
  ? 'reporting.lag.breached' : 'reporting.lag.within', { days: String(row.slaDays) })}</td>
</tr>`)}</tbody></table>`}
${csvLink(context, reportingPaths.csv('settlement-lag', dashboard.period))}</section>`;
}

export function renderDashboardPage(context: PageContext, dashboard: Dashboard,
  problem?: string): string {
  const { t } = context;
  const title = t('reporting.title');
  return renderPage(context, {
    title: problem === undefined ? title : t('reporting.errorTitle', { title }),
    main: html`${problem === undefined ? html`` : html`<div class="error-summary" role="alert">
<h2>${t('reporting.problem')}</h2><p>${problem}</p></div>`}
<h1>${title}</h1><p>${t(dashboard.scope === 'all' ? 'reporting.intro.all'
  : 'reporting.intro.agency')}</p>
${periodForm(context, reportingPaths.dashboard, dashboard.period)}
<p><a href="${reportingPaths.accessFees}?from=${dashboard.period.from}&amp;to=${
  dashboard.period.to}">${t('reporting.accessFees.link')}</a></p>
${byDaySection(context, dashboard)}${byAgencySection(context, dashboard)}
${byServiceSection(context, dashboard)}${byChannelSection(context, dashboard)}
${positionSection(context, dashboard)}${lagSection(context, dashboard)}`,
  });
}
