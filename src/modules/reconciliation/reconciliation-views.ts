/**
 * The reconciliation pages for Treasury, the finance desk and auditors: the runs with the
 * import forms (a statement file, or the provider's transactions of a day), a run with its
 * classes, findings and lines (paged), and the report of a day. Work with JavaScript off; all
 * copy from the locale files.
 */
import { format, money } from '#platform/money/index.ts';
import {
  html,
  kenyaDateTime,
  type Language,
  type PageContext,
  renderPage,
  type SafeHtml,
  summaryList,
} from '#web/index.ts';
import type { ClassTotal, FindingRow, LineRow, RunRow } from './run-repo.ts';
import type { LineClass } from './reconciliation-tables.ts';

export const reconciliationPaths = {
  page: '/staff/reconciliation',
  list: (page: number): string => `/staff/reconciliation${page === 1 ? '' : `?page=${page}`}`,
  imports: '/staff/reconciliation/imports',
  pulls: '/staff/reconciliation/pulls',
  runPattern: '/staff/reconciliation/runs/:runId',
  run: (runId: string, lineClass?: LineClass, after?: number): string => {
    const query = [lineClass === undefined ? '' : `class=${lineClass}`,
      after === undefined || after === 0 ? '' : `after=${after}`].filter((part) => part !== '');
    return `/staff/reconciliation/runs/${encodeURIComponent(runId)}${
      query.length === 0 ? '' : `?${query.join('&')}`}`;
  },
  runExportPattern: '/staff/reconciliation/runs/:runId/export.csv',
  runExport: (runId: string): string =>
    `/staff/reconciliation/runs/${encodeURIComponent(runId)}/export.csv`,
  dayQuery: '/staff/reconciliation/day',
  dayPattern: '/staff/reconciliation/days/:day',
  day: (day: string): string => `/staff/reconciliation/days/${day}`,
  dayExportPattern: '/staff/reconciliation/days/:day/export.csv',
  dayExport: (day: string): string => `/staff/reconciliation/days/${day}/export.csv`,
} as const;

const dateTime = (value: Date, language: Language): string =>
  kenyaDateTime(value, language, 'second');

const shillings = (amountMinor: bigint, language: Language): string =>
  format(money(amountMinor, 'KES'), language);

export type RunsPageInput = Readonly<{
  runs: readonly RunRow[];
  page: number;
  hasNextPage: boolean;
  canManage: boolean;
  csrf: SafeHtml;
  shortcode: string;
  yesterday: string;
  problem?: string | undefined;
}>;

function importForms(context: PageContext, input: RunsPageInput): SafeHtml {
  const { t } = context;
  return html`<h2>${t('reconciliation.import.title')}</h2>
<form method="post" action="${reconciliationPaths.imports}" enctype="multipart/form-data">
${input.csrf}<div class="field"><label for="statement">${t('reconciliation.import.file')}</label>
<p class="hint" id="statement-hint">${t('reconciliation.import.fileHint')}</p>
<input type="file" id="statement" name="statement" accept=".csv,text/csv"
 aria-describedby="statement-hint"></div>
<div class="field"><label for="shortcode">${t('reconciliation.import.shortcode')}</label>
<input type="text" id="shortcode" name="shortcode" inputmode="numeric" value="${input.shortcode}"
 pattern="[0-9]{5,7}"></div>
<button type="submit">${t('reconciliation.import.submit')}</button></form>
<form method="post" action="${reconciliationPaths.pulls}">
${input.csrf}<div class="field"><label for="pull-day">${t('reconciliation.pull.day')}</label>
<input type="date" id="pull-day" name="day" value="${input.yesterday}"></div>
<button type="submit">${t('reconciliation.pull.submit')}</button></form>`;
}

function runRow(context: PageContext, run: RunRow): SafeHtml {
  const { t, language } = context;
  return html`<tr><td><a href="${reconciliationPaths.run(run.id)}">${
    dateTime(run.startedAt, language)}</a></td>
<td>${t(`reconciliation.source.${run.source}`)}</td><td>${run.shortcode}</td>
<td>${t(`reconciliation.status.${run.status}`)}</td><td>${String(run.lineCount)}</td>
<td>${String(run.findingCount)}</td></tr>`;
}

export function renderRunsPage(context: PageContext, input: RunsPageInput): string {
  const { t } = context;
  const title = t('reconciliation.title');
  return renderPage(context, {
    title: input.problem === undefined ? title : t('reconciliation.errorTitle', { title }),
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('reconciliation.problem')}</h2><p>${input.problem}</p></div>`}
<h1>${title}</h1><p>${t('reconciliation.intro')}</p>
${input.canManage ? importForms(context, input) : html``}
<h2>${t('reconciliation.day.title')}</h2>
<form method="get" action="${reconciliationPaths.dayQuery}"><div class="field">
<label for="report-day">${t('reconciliation.day.pick')}</label>
<input type="date" id="report-day" name="day" value="${input.yesterday}"></div>
<button type="submit">${t('reconciliation.day.show')}</button></form>
<h2>${t('reconciliation.runs')}</h2>
${input.runs.length === 0 ? html`<p>${t('reconciliation.noRuns')}</p>` : html`<table>
<caption class="visually-hidden">${t('reconciliation.runs')}</caption><thead><tr>
<th scope="col">${t('reconciliation.run.started')}</th>
<th scope="col">${t('reconciliation.run.source')}</th>
<th scope="col">${t('reconciliation.run.shortcode')}</th>
<th scope="col">${t('reconciliation.run.status')}</th>
<th scope="col">${t('reconciliation.run.lines')}</th>
<th scope="col">${t('reconciliation.run.findings')}</th></tr></thead>
<tbody>${input.runs.map((run) => runRow(context, run))}</tbody></table>`}
${input.page > 1 || input.hasNextPage ? html`<nav aria-label="${t('reconciliation.pages')}"><ul>${
  input.page > 1 ? html`<li><a href="${reconciliationPaths.list(input.page - 1)}">${
    t('reconciliation.previous')}</a></li>` : html``}${input.hasNextPage
  ? html`<li><a href="${reconciliationPaths.list(input.page + 1)}">${
    t('reconciliation.next')}</a></li>` : html``}</ul></nav>` : html``}`,
  });
}

function totalsTable(context: PageContext, caption: string, rows: readonly ClassTotal[],
  kind: 'class' | 'finding', link?: (name: string) => string): SafeHtml {
  const { t, language } = context;
  if (rows.length === 0) return html`<p>${t(`reconciliation.none.${kind}`)}</p>`;
  return html`<table><caption>${caption}</caption><thead><tr>
<th scope="col">${t(`reconciliation.column.${kind}`)}</th>
<th scope="col">${t('reconciliation.column.count')}</th>
<th scope="col">${t('reconciliation.column.amount')}</th></tr></thead><tbody>${
  rows.map((row) => html`<tr><th scope="row">${link === undefined
    ? t(`reconciliation.${kind}.${row.name}`)
    : html`<a href="${link(row.name)}">${t(`reconciliation.${kind}.${row.name}`)}</a>`}</th>
<td>${String(row.count)}</td><td>${shillings(row.amountMinor, language)}</td></tr>`)}
</tbody></table>`;
}

export type RunPageInput = Readonly<{
  run: RunRow;
  classes: readonly ClassTotal[];
  findings: readonly ClassTotal[];
  findingRows: readonly FindingRow[];
  lines: readonly LineRow[];
  lineClass: LineClass | undefined;
  nextAfter: number | undefined;
}>;

function lineTable(context: PageContext, lines: readonly LineRow[]): SafeHtml {
  const { t, language } = context;
  return html`<table><caption class="visually-hidden">${t('reconciliation.lines')}</caption>
<thead><tr><th scope="col">${t('reconciliation.line.number')}</th>
<th scope="col">${t('reconciliation.line.receipt')}</th>
<th scope="col">${t('reconciliation.line.time')}</th>
<th scope="col">${t('reconciliation.line.amount')}</th>
<th scope="col">${t('reconciliation.line.class')}</th>
<th scope="col">${t('reconciliation.line.note')}</th></tr></thead><tbody>${
  lines.map((line) => html`<tr><td>${String(line.lineNumber)}</td><td>${line.receipt}</td>
<td>${dateTime(line.completedAt, language)}</td>
<td>${line.withdrawnMinor > 0n ? '-' : ''}${
  shillings(line.paidInMinor + line.withdrawnMinor, language)}</td>
<td>${line.class === null ? '' : t(`reconciliation.class.${line.class}`)}</td>
<td>${line.note ?? ''}</td></tr>`)}</tbody></table>`;
}

export function renderRunPage(context: PageContext, input: RunPageInput): string {
  const { t, language } = context;
  const { run } = input;
  const title = t('reconciliation.run.title', { when: dateTime(run.startedAt, language) });
  const facts: [string, string | SafeHtml][] = [
    [t('reconciliation.run.source'), t(`reconciliation.source.${run.source}`)],
    [t('reconciliation.run.shortcode'), run.shortcode],
    [t('reconciliation.run.status'), t(`reconciliation.status.${run.status}`)],
    [t('reconciliation.run.lines'), String(run.lineCount)],
  ];
  if (run.windowFrom !== null && run.windowTo !== null) {
    facts.push([t('reconciliation.run.window'), `${dateTime(run.windowFrom, language)} – ${
      dateTime(run.windowTo, language)}`]);
  }
  if (run.rejection !== null) facts.push([t('reconciliation.run.rejection'), run.rejection]);
  if (run.repeatOf !== null) {
    facts.push([t('reconciliation.run.repeatOf'),
      html`<a href="${reconciliationPaths.run(run.repeatOf)}">${
        t('reconciliation.run.earlier')}</a>`]);
  }
  return renderPage(context, {
    title,
    main: html`<h1>${title}</h1>${summaryList(facts)}
<p><a href="${reconciliationPaths.runExport(run.id)}">${t('reconciliation.export')}</a></p>
${totalsTable(context, t('reconciliation.classes'), input.classes, 'class',
    (name) => reconciliationPaths.run(run.id, name as LineClass))}
${totalsTable(context, t('reconciliation.findings'), input.findings, 'finding')}
${input.findingRows.length === 0 ? html`` : html`<h2>${t('reconciliation.findingList')}</h2><ul>${
  input.findingRows.map((finding) => html`<li><strong>${
    t(`reconciliation.finding.${finding.kind}`)}</strong>${finding.lineNumber === null ? ''
    : ` (${t('reconciliation.line.number')} ${String(finding.lineNumber)})`}: ${
    finding.detail}</li>`)}</ul>`}
<h2>${input.lineClass === undefined ? t('reconciliation.lines')
    : t(`reconciliation.class.${input.lineClass}`)}</h2>
${input.lines.length === 0 ? html`<p>${t('reconciliation.noLines')}</p>`
    : lineTable(context, input.lines)}
${input.nextAfter === undefined ? html`` : html`<p><a href="${
  reconciliationPaths.run(run.id, input.lineClass, input.nextAfter)}">${
  t('reconciliation.next')}</a></p>`}
<p><a href="${reconciliationPaths.page}">${t('reconciliation.back')}</a></p>`,
  });
}

export function renderDayPage(context: PageContext, input: Readonly<{ day: string;
  classes: readonly ClassTotal[]; findings: readonly ClassTotal[] }>): string {
  const { t } = context;
  const title = t('reconciliation.day.heading', { day: input.day });
  return renderPage(context, {
    title,
    main: html`<h1>${title}</h1><p>${t('reconciliation.day.intro')}</p>
<p><a href="${reconciliationPaths.dayExport(input.day)}">${t('reconciliation.export')}</a></p>
${totalsTable(context, t('reconciliation.classes'), input.classes, 'class')}
${totalsTable(context, t('reconciliation.findings'), input.findings, 'finding')}
<p><a href="${reconciliationPaths.page}">${t('reconciliation.back')}</a></p>`,
  });
}

