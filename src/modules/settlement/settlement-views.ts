/**
 * The settlement desk's pages: the overview (batches, each payee's lag against its SLA, open
 * alerts, payees that cannot be paid for want of a profile, the prepare form), a batch's page
 * (its lines, approvals, the bank file, recording the bank's reference, a returned line), and
 * the payees' bank profiles. JavaScript off; copy from the locale files.
 */
import { format, money, type Currency } from '#platform/money/index.ts';
import {
  html,
  kenyaDateTime,
  type Language,
  type PageContext,
  pagination,
  renderPage,
  type SafeHtml,
  summaryList,
} from '#web/index.ts';
import type { PayeeLag, SettlementAlert } from './settlement-lag.ts';
import type { BatchRow, BatchSummary, LineRow, ProfileRow } from './settlement-repo.ts';

export const settlementPaths = {
  page: '/staff/settlement',
  list: (page = 1): string => page === 1 ? '/staff/settlement' : `/staff/settlement?page=${page}`,
  prepare: '/staff/settlement/batches',
  batch: (id: string): string => `/staff/settlement/batches/${encodeURIComponent(id)}`,
  batchPattern: '/staff/settlement/batches/:batchId',
  file: (id: string): string => `/staff/settlement/batches/${encodeURIComponent(id)}/file.csv`,
  filePattern: '/staff/settlement/batches/:batchId/file.csv',
  approve: (id: string): string =>
    `/staff/settlement/batches/${encodeURIComponent(id)}/approvals`,
  approvePattern: '/staff/settlement/batches/:batchId/approvals',
  settle: (id: string): string =>
    `/staff/settlement/batches/${encodeURIComponent(id)}/settlement`,
  settlePattern: '/staff/settlement/batches/:batchId/settlement',
  cancel: (id: string): string =>
    `/staff/settlement/batches/${encodeURIComponent(id)}/cancellation`,
  cancelPattern: '/staff/settlement/batches/:batchId/cancellation',
  returnLine: (id: string): string => `/staff/settlement/lines/${encodeURIComponent(id)}/return`,
  returnLinePattern: '/staff/settlement/lines/:lineId/return',
  closeAlert: (id: string): string => `/staff/settlement/alerts/${encodeURIComponent(id)}/close`,
  closeAlertPattern: '/staff/settlement/alerts/:alertId/close',
  profiles: '/staff/settlement/profiles',
} as const;

const dateTime = (value: Date, language: Language): string =>
  kenyaDateTime(value, language);

function notices(context: PageContext, notice: string | undefined, problem: string | undefined):
  SafeHtml {
  const { t } = context;
  return html`${problem === undefined ? html`` : html`<div class="error-summary" role="alert">
<h2>${t('settlement.problem')}</h2><p>${t(problem)}</p></div>`}${notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(notice)}</p></div>`}`;
}

function hours(value: number | null, context: PageContext): string {
  return value === null ? '—' : context.t('settlement.hours', { hours: Math.round(value) });
}

export type OverviewInput = Readonly<{
  page: number;
  pageSize: number;
  batches: readonly BatchSummary[];
  hasNextPage: boolean;
  lag: readonly PayeeLag[];
  alerts: readonly SettlementAlert[];
  names: ReadonlyMap<string, string>;
  canManage: boolean;
  csrf: SafeHtml;
  notice?: string | undefined;
  problem?: string | undefined;
}>;

function batchesTable(context: PageContext, input: OverviewInput): SafeHtml {
  const { t, language } = context;
  if (input.batches.length === 0) return html`<p>${t('settlement.noBatches')}</p>`;
  return html`<table><caption>${t('settlement.batches')}</caption><thead><tr>
<th scope="col">${t('settlement.reference')}</th><th scope="col">${t('settlement.state')}</th>
<th scope="col">${t('settlement.cutoff')}</th><th scope="col">${t('settlement.lines')}</th>
<th scope="col">${t('settlement.total')}</th></tr></thead><tbody>${input.batches.map((batch) =>
  html`<tr><td><a href="${settlementPaths.batch(batch.id)}">${batch.reference}</a></td>
<td>${t(`settlement.batchState.${batch.state}`)}</td><td>${dateTime(batch.cutoff, language)}</td>
<td>${String(batch.lines)}</td><td>${format(money(batch.totalMinor, batch.currency), language)}
</td></tr>`)}</tbody></table>`;
}

function lagTable(context: PageContext, input: OverviewInput): SafeHtml {
  const { t, language } = context;
  if (input.lag.length === 0) return html`<p>${t('settlement.noLag')}</p>`;
  return html`<table><caption>${t('settlement.lag')}</caption><thead><tr>
<th scope="col">${t('settlement.payee')}</th><th scope="col">${t('settlement.schedule')}</th>
<th scope="col">${t('settlement.median')}</th><th scope="col">${t('settlement.max')}</th>
<th scope="col">${t('settlement.oldest')}</th><th scope="col">${t('settlement.sla')}</th>
</tr></thead><tbody>${input.lag.map((row) => html`<tr>
<td>${input.names.get(row.payee) ?? row.payee}</td>
<td>${t('settlement.scheduleValue', { days: row.scheduleDays, sla: row.slaDays })}</td>
<td>${hours(row.medianHours, context)}</td><td>${hours(row.maxHours, context)}</td>
<td>${row.oldestUnsettledAt === null ? '—' : dateTime(row.oldestUnsettledAt, language)}</td>
<td>${!row.hasProfile ? html`<strong>${t('settlement.noProfile')}</strong>`
    : row.breached ? html`<strong>${t('settlement.breached')}</strong>`
      : t('settlement.withinSla')}</td></tr>`)}</tbody></table>`;
}

function alertsSection(context: PageContext, input: OverviewInput): SafeHtml {
  const { t, language } = context;
  return html`<h2>${t('settlement.alerts')}</h2>${input.alerts.length === 0
    ? html`<p>${t('settlement.noAlerts')}</p>` : input.alerts.map((alert) => html`<section
 aria-labelledby="alert-${alert.id}"><h3 id="alert-${alert.id}">${
  input.names.get(alert.payee) ?? alert.payee}</h3>${summaryList([
  [t('settlement.alertReason'), alert.reason],
  [t('settlement.raisedAt'), dateTime(alert.raised_at, language)]])}${input.canManage
  ? html`<form method="post" action="${settlementPaths.closeAlert(alert.id)}">${input.csrf}
<div class="field"><label for="note-${alert.id}">${t('settlement.closingNote')}</label>
<textarea id="note-${alert.id}" name="note" rows="2" maxlength="1000"></textarea></div>
<button type="submit">${t('settlement.closeAlert')}</button></form>` : html``}</section>`)}`;
}

function prepareForm(context: PageContext, input: OverviewInput): SafeHtml {
  const { t } = context;
  if (!input.canManage) return html``;
  return html`<h2>${t('settlement.prepareTitle')}</h2>
<form method="post" action="${settlementPaths.prepare}">${input.csrf}
<div class="field"><label for="currency">${t('settlement.currency')}</label>
<select id="currency" name="currency"><option value="KES">KES</option>
<option value="USD">USD</option></select></div>
<div class="field"><label for="cutoff">${t('settlement.cutoffField')}</label>
<p class="hint" id="cutoff-hint">${t('settlement.cutoffHint')}</p>
<input id="cutoff" name="cutoff" type="datetime-local" aria-describedby="cutoff-hint"></div>
<button type="submit">${t('settlement.prepare')}</button></form>`;
}

export function renderOverview(context: PageContext, input: OverviewInput): string {
  const { t } = context;
  return renderPage(context, {
    title: t('settlement.title'),
    main: html`${notices(context, input.notice, input.problem)}<h1>${t('settlement.title')}</h1>
<p>${t('settlement.intro')}</p><p><a href="${settlementPaths.profiles}">${
  t('settlement.profiles')}</a></p>
${batchesTable(context, input)}
${pagination(t, { page: input.page, pageSize: input.pageSize,
    total: (input.page - 1) * input.pageSize + input.batches.length +
      (input.hasNextPage ? 1 : 0), hrefFor: settlementPaths.list })}
${prepareForm(context, input)}
<h2>${t('settlement.lag')}</h2><p>${t('settlement.lagIntro')}</p>${lagTable(context, input)}
${alertsSection(context, input)}`,
  });
}

export type BatchPageInput = Readonly<{
  batch: BatchRow;
  lines: readonly LineRow[];
  approvals: readonly { approvedBy: string; approvedAt: Date }[];
  /** Whether the reader sees every payee (the bank file is theirs only). */
  allPayees: boolean;
  canManage: boolean;
  csrf: SafeHtml;
  notice?: string | undefined;
  problem?: string | undefined;
}>;

function linesTable(context: PageContext, input: BatchPageInput): SafeHtml {
  const { t, language } = context;
  const returnable = input.canManage && input.batch.state === 'released';
  return html`<table><caption>${t('settlement.linesCaption')}</caption><thead><tr>
<th scope="col">${t('settlement.payee')}</th><th scope="col">${t('settlement.bank')}</th>
<th scope="col">${t('settlement.account')}</th><th scope="col">${t('settlement.amount')}</th>
<th scope="col">${t('settlement.state')}</th>${returnable
  ? html`<th scope="col">${t('settlement.returnTitle')}</th>` : html``}</tr></thead><tbody>${
  input.lines.map((line) => html`<tr><td>${line.payee_name}</td>
<td>${line.bank_name} (${line.bank_code})</td><td>${line.account_name}, ${line.account_number}</td>
<td>${format(money(line.amount_minor, line.currency), language)}</td>
<td>${t(`settlement.lineState.${line.state}`)}</td>${returnable ? html`<td>${
  line.state === 'released' ? html`<form method="post" action="${
    settlementPaths.returnLine(line.id)}">${input.csrf}<label for="reason-${line.id}">${
    t('settlement.returnReason')}</label><input id="reason-${line.id}" name="reason"
 maxlength="500"><button type="submit" class="secondary">${t('settlement.returnLine')}</button>
</form>` : html``}</td>` : html``}</tr>`)}</tbody></table>`;
}

function batchActions(context: PageContext, input: BatchPageInput): SafeHtml {
  const { t } = context;
  const { batch } = input;
  const file = (batch.state === 'released' || batch.state === 'settled') && input.allPayees
    ? html`<p><a href="${settlementPaths.file(batch.id)}" download>${t('settlement.file')}</a></p>`
    : html``;
  if (!input.canManage) return file;
  if (batch.state === 'prepared') {
    return html`<form method="post" action="${settlementPaths.approve(batch.id)}">${input.csrf}
<p class="hint">${t('settlement.twoPeople')}</p>
<button type="submit">${t('settlement.approve')}</button></form>
<form method="post" action="${settlementPaths.cancel(batch.id)}">${input.csrf}
<button type="submit" class="secondary">${t('settlement.cancel')}</button></form>`;
  }
  if (batch.state === 'released') {
    return html`${file}<form method="post" action="${settlementPaths.settle(batch.id)}">${
      input.csrf}<div class="field"><label for="bank-reference">${
      t('settlement.bankReference')}</label><p class="hint" id="bank-reference-hint">${
      t('settlement.bankReferenceHint')}</p><input id="bank-reference" name="bankReference"
 maxlength="40" autocomplete="off" aria-describedby="bank-reference-hint"></div>
<button type="submit">${t('settlement.recordSettled')}</button></form>`;
  }
  return file;
}

export function renderBatchPage(context: PageContext, input: BatchPageInput): string {
  const { t, language } = context;
  const { batch } = input;
  const total = input.lines.filter((line) => line.state !== 'returned')
    .reduce((sum, line) => sum + line.amount_minor, 0n);
  const rows: [string, string][] = [
    [t('settlement.state'), t(`settlement.batchState.${batch.state}`)],
    [t('settlement.cutoff'), dateTime(batch.cutoff, language)],
    [t('settlement.total'), format(money(total, batch.currency as Currency), language)],
    [t('settlement.preparedBy'), batch.prepared_by],
    [t('settlement.preparedAt'), dateTime(batch.prepared_at, language)],
    ...input.approvals.map((approval, index): [string, string] => [
      t('settlement.approvedBy', { number: index + 1 }),
      `${approval.approvedBy}, ${dateTime(approval.approvedAt, language)}`]),
  ];
  if (batch.bank_reference !== null) {
    rows.push([t('settlement.bankReference'), batch.bank_reference]);
  }
  return renderPage(context, {
    title: t('settlement.batchTitle', { reference: batch.reference }),
    main: html`${notices(context, input.notice, input.problem)}
<p><a href="${settlementPaths.page}">${t('settlement.back')}</a></p>
<h1>${t('settlement.batchTitle', { reference: batch.reference })}</h1>${summaryList(rows)}
${linesTable(context, input)}${batchActions(context, input)}`,
  });
}

export function renderProfiles(context: PageContext, profiles: readonly ProfileRow[],
  names: ReadonlyMap<string, string>): string {
  const { t } = context;
  return renderPage(context, {
    title: t('settlement.profiles'),
    main: html`<p><a href="${settlementPaths.page}">${t('settlement.back')}</a></p>
<h1>${t('settlement.profiles')}</h1><p>${t('settlement.profilesIntro')}</p>${profiles.length === 0
  ? html`<p>${t('settlement.noProfiles')}</p>` : html`<table><caption>${
    t('settlement.profiles')}</caption><thead><tr><th scope="col">${t('settlement.payee')}</th>
<th scope="col">${t('settlement.bank')}</th><th scope="col">${t('settlement.account')}</th>
<th scope="col">${t('settlement.schedule')}</th></tr></thead><tbody>${profiles.map((profile) =>
  html`<tr><td>${names.get(profile.payee) ?? profile.payee}</td>
<td>${profile.bank_name} (${profile.bank_code}), ${profile.branch}</td>
<td>${profile.account_name}, ${profile.account_number}</td>
<td>${t('settlement.scheduleValue', { days: profile.schedule_days, sla: profile.sla_days })}
</td></tr>`)}</tbody></table>`}`,
  });
}
