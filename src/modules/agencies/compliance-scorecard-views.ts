/**
 * The compliance scorecard page (/staff/compliance/scorecard): one row per agency, every
 * column sortable by a plain link (?sort=column&dir=asc|desc, no JavaScript), the sorted
 * column marked with aria-sort, and the same rows as CSV.
 */
import { format } from '#platform/money/index.ts';
import { html, type PageContext, renderPage, type SafeHtml } from '#web/index.ts';
import { compliancePaths } from './compliance-paths.ts';
import type { ScorecardColumn, ScorecardRow, SortDirection } from './compliance-scorecard.ts';
import { scorecardColumns } from './compliance-scorecard.ts';

const k = (key: string): string => `agencies.compliance.${key}`;

export type ScorecardPageInput = Readonly<{
  rows: readonly ScorecardRow[];
  sort: ScorecardColumn;
  dir: SortDirection;
}>;

export function scorecardLink(path: string, sort: ScorecardColumn, dir: SortDirection):
string {
  return `${path}?sort=${sort}&dir=${dir}`;
}

function header(context: PageContext, input: ScorecardPageInput, column: ScorecardColumn):
SafeHtml {
  const { t } = context;
  const current = input.sort === column;
  const next: SortDirection = current && input.dir === 'asc' ? 'desc' : 'asc';
  const sorted = current ? (input.dir === 'asc' ? 'ascending' : 'descending') : undefined;
  const label = t(k(`scorecard.column.${column}`));
  const arrow = current ? (input.dir === 'asc' ? ' ▲' : ' ▼') : '';
  return html`<th scope="col"${sorted === undefined ? html`` : html` aria-sort="${sorted}"`}${
    column === 'agency' ? html`` : html` class="num"`}><a href="${
    scorecardLink(compliancePaths.scorecard, column, next)}">${label}${arrow}</a></th>`;
}

function row(context: PageContext, item: ScorecardRow): SafeHtml {
  const { language } = context;
  const name = language === 'sw' ? item.agencyNameSw ?? item.agencyNameEn : item.agencyNameEn;
  const cell = (value: number | string) => html`<td class="num">${String(value)}</td>`;
  return html`<tr><td><a href="${compliancePaths.register(item.agencyId)}">${name}</a></td>
${cell(item.servicesLive)}${cell(item.servicesTotal)}${cell(`${String(item.onboardedPercent)}%`)}
${cell(item.legacyPaybillsOpen)}${cell(item.legacyPaybillsPastClosure)}
${cell(item.exemptionsActive)}${cell(item.exemptionsExpired)}${cell(item.noticesOpen)}
${cell(item.noticesOverdue)}
${cell(format({ amountMinor: item.outsideRevenueKesMinor, currency: 'KES' }, language))}
${cell(format({ amountMinor: item.outsideRevenueUsdMinor, currency: 'USD' }, language))}
${cell(item.alertsOpen)}${cell(item.score)}</tr>`;
}

export function renderScorecardPage(context: PageContext, input: ScorecardPageInput): string {
  const { t } = context;
  const title = t(k('scorecard.title'));
  return renderPage(context, {
    title,
    main: html`<p><a href="${compliancePaths.home}">${t(k('back'))}</a></p><h1>${title}</h1>
<p>${t(k('scorecard.intro'))}</p>
<p><a href="${scorecardLink(compliancePaths.scorecardCsv, input.sort, input.dir)}" download>${
  t(k('scorecard.csv'))}</a></p>
<table><caption>${t(k('scorecard.caption'), { count: input.rows.length })}</caption>
<thead><tr>${scorecardColumns.map((column) => header(context, input, column))}</tr></thead>
<tbody>${input.rows.map((item) => row(context, item))}</tbody></table>`,
  });
}
