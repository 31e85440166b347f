/**
 * The compliance desk's and the agency's pages: the compliance home (an agency's notices and
 * its register; for the desk, open alerts, every notice and the form to issue one) and one
 * notice with its history and the next step's form. Works with JavaScript off; all copy from
 * the locale files.
 */
import {
  html,
  kenyaDateTime,
  type PageContext,
  renderPage,
  type SafeHtml,
} from '#web/index.ts';
import { compliancePaths } from './compliance-paths.ts';
import type { AgencyRef, AlertRow, NoticeEventRow, NoticeRow } from './compliance-repo.ts';
import {
  noticeBodyLengthMax,
  noticeStatus,
  subjectLengthMax,
} from './compliance-rules.ts';

const k = (key: string): string => `agencies.compliance.${key}`;

/** What a page shows above its heading: a problem (role=alert) or a notice (role=status). */
export type Banner = Readonly<{ problem?: string | undefined; done?: string | undefined }>;

export function banner(context: PageContext, input: Banner): SafeHtml {
  const { t } = context;
  return html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t(k('problem'))}</h2><p>${t(input.problem)}</p></div>`}${
  input.done === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(input.done)}</p></div>`}`;
}

export function pageTitle(context: PageContext, title: string, input: Banner): string {
  return input.problem === undefined ? title : context.t(k('errorTitle'), { title });
}

export function field(id: string, label: string, control: SafeHtml, hint?: string): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label>${hint === undefined
    ? html`` : html`<p class="hint" id="${id}-hint">${hint}</p>`}${control}</div>`;
}

export function dateInput(id: string, name = id): SafeHtml {
  return html`<input id="${id}" name="${name}" type="date" required aria-describedby="${
    id}-hint">`;
}

export function alertsTable(context: PageContext, alerts: readonly AlertRow[],
  withAgency: boolean): SafeHtml {
  const { t, language } = context;
  if (alerts.length === 0) return html`<p>${t(k('alerts.none'))}</p>`;
  return html`<table><caption>${t(k('alerts.title'))}</caption><thead><tr>${withAgency
    ? html`<th scope="col">${t(k('agency'))}</th>` : html``}<th scope="col">${
    t(k('alerts.kind'))}</th><th scope="col">${t(k('alerts.dueOn'))}</th><th scope="col">${
    t(k('alerts.raisedAt'))}</th><th scope="col">${t(k('alerts.state'))}</th></tr></thead>
<tbody>${alerts.map((alert) => html`<tr>${withAgency ? html`<td><a href="${
    compliancePaths.register(alert.agencyId)}">${alert.agencyNameEn}</a></td>` : html``}
<td>${t(k(`alerts.kind.${alert.kind}`))}</td><td>${alert.dueOn}</td>
<td>${kenyaDateTime(alert.raisedAt, language)}</td>
<td>${alert.resolvedAt === null ? t(k('alerts.open'))
    : t(k('alerts.resolved'), { when: kenyaDateTime(alert.resolvedAt, language) })}</td>
</tr>`)}</tbody></table>`;
}

function noticesTable(context: PageContext, notices: readonly NoticeRow[], today: string,
  withAgency: boolean): SafeHtml {
  const { t } = context;
  if (notices.length === 0) return html`<p>${t(k('notices.none'))}</p>`;
  return html`<table><caption>${t(k('notices.title'))}</caption><thead><tr>${withAgency
    ? html`<th scope="col">${t(k('agency'))}</th>` : html``}<th scope="col">${
    t(k('notices.subject'))}</th><th scope="col">${t(k('notices.deadline'))}</th>
<th scope="col">${t(k('notices.status'))}</th></tr></thead><tbody>${notices.map((notice) =>
    html`<tr>${withAgency ? html`<td>${notice.agencyNameEn}</td>` : html``}<td><a href="${
      compliancePaths.notice(notice.id)}">${notice.subject}</a></td><td>${notice.deadlineOn}</td>
<td>${t(k(`notices.state.${noticeStatus(notice.state, notice.deadlineOn, today)}`))}</td>
</tr>`)}</tbody></table>`;
}

function issueForm(context: PageContext, agencies: readonly AgencyRef[], csrf: SafeHtml):
SafeHtml {
  const { t } = context;
  return html`<section aria-labelledby="issue-notice"><h2 id="issue-notice">${
    t(k('notices.issue'))}</h2>
<form method="post" action="${compliancePaths.notices}">${csrf}
${field('notice-agency', t(k('agency')), html`<select id="notice-agency" name="agencyId"
 required>${agencies.map((agency) => html`<option value="${agency.id}">${
  agency.nameEn}</option>`)}</select>`)}
${field('notice-subject', t(k('notices.subject')), html`<input id="notice-subject"
 name="subject" type="text" required maxlength="${String(subjectLengthMax)}">`)}
${field('notice-body', t(k('notices.body')), html`<textarea id="notice-body" name="body"
 rows="6" required maxlength="${String(noticeBodyLengthMax)}"></textarea>`)}
${field('notice-deadline', t(k('notices.deadline')), dateInput('notice-deadline',
    'deadlineOn'), t(k('dateHint')))}
<button type="submit">${t(k('notices.issueButton'))}</button></form></section>`;
}

export type HomePageInput = Banner & Readonly<{
  /** The agency of an agency-scoped reader; undefined for the platform-wide desk. */
  agency: AgencyRef | undefined;
  notices: readonly NoticeRow[];
  alerts: readonly AlertRow[];
  today: string;
  /** The desk may issue notices: every agency to choose from. */
  agencies: readonly AgencyRef[] | undefined;
  csrf: SafeHtml;
}>;

export function renderHomePage(context: PageContext, input: HomePageInput): string {
  const { t } = context;
  const title = t(k('title'));
  const links = input.agency === undefined
    ? html`<ul class="links"><li><a href="${compliancePaths.scorecard}">${
      t(k('scorecard.title'))}</a></li></ul>`
    : html`<ul class="links"><li><a href="${compliancePaths.register(input.agency.id)}">${
      t(k('register.yours'))}</a></li></ul>`;
  return renderPage(context, {
    title: pageTitle(context, title, input),
    main: html`${banner(context, input)}<h1>${title}</h1><p>${t(k('intro'))}</p>${links}
${input.agency === undefined ? alertsTable(context, input.alerts, true) : html``}
${noticesTable(context, input.notices, input.today, input.agency === undefined)}
${input.agencies === undefined ? html`` : issueForm(context, input.agencies, input.csrf)}`,
  });
}

export type NoticePageInput = Banner & Readonly<{
  notice: NoticeRow;
  events: readonly NoticeEventRow[];
  today: string;
  canAnswer: boolean;
  canDecide: boolean;
  csrf: SafeHtml;
}>;

function historyTable(context: PageContext, events: readonly NoticeEventRow[]): SafeHtml {
  const { t, language } = context;
  return html`<table><caption>${t(k('notices.history'))}</caption><thead><tr>
<th scope="col">${t(k('notices.when'))}</th><th scope="col">${t(k('notices.step'))}</th>
<th scope="col">${t(k('notices.text'))}</th><th scope="col">${t(k('notices.deadline'))}</th>
</tr></thead><tbody>${events.map((event) => html`<tr>
<td>${kenyaDateTime(event.occurredAt, language)}</td><td>${t(k(`notices.event.${event.kind}`))}</td>
<td>${event.text}</td><td>${event.deadlineOn ?? ''}</td></tr>`)}</tbody></table>`;
}

function nextStepForms(context: PageContext, input: NoticePageInput): SafeHtml {
  const { t } = context;
  const { notice, csrf } = input;
  if (input.canAnswer && notice.state === 'issued') {
    return html`<form method="post" action="${compliancePaths.noticeAnswer(notice.id)}">${csrf}
${field('answer', t(k('notices.answer')), html`<textarea id="answer" name="text" rows="6"
 required maxlength="${String(noticeBodyLengthMax)}"></textarea>`)}
<button type="submit">${t(k('notices.answerButton'))}</button></form>`;
  }
  if (!input.canDecide || notice.state !== 'answered') return html``;
  return html`<form method="post" action="${compliancePaths.noticeClose(notice.id)}">${csrf}
${field('close-note', t(k('notices.note')), html`<textarea id="close-note" name="text" rows="3"
 maxlength="${String(noticeBodyLengthMax)}"></textarea>`)}
<button type="submit">${t(k('notices.closeButton'))}</button></form>
<form method="post" action="${compliancePaths.noticeReopen(notice.id)}">${csrf}
${field('reopen-note', t(k('notices.reopenNote')), html`<textarea id="reopen-note" name="text"
 rows="3" maxlength="${String(noticeBodyLengthMax)}"></textarea>`)}
${field('reopen-deadline', t(k('notices.newDeadline')), dateInput('reopen-deadline',
    'deadlineOn'), t(k('dateHint')))}
<button type="submit" class="secondary">${t(k('notices.reopenButton'))}</button></form>`;
}

export function renderNoticePage(context: PageContext, input: NoticePageInput): string {
  const { t } = context;
  const { notice } = input;
  const status = noticeStatus(notice.state, notice.deadlineOn, input.today);
  return renderPage(context, {
    title: pageTitle(context, notice.subject, input),
    main: html`${banner(context, input)}<p><a href="${compliancePaths.home}">${
      t(k('back'))}</a></p><h1>${notice.subject}</h1>
<dl class="summary"><dt>${t(k('agency'))}</dt><dd><a href="${
  compliancePaths.register(notice.agencyId)}">${notice.agencyNameEn}</a></dd>
<dt>${t(k('notices.deadline'))}</dt><dd>${notice.deadlineOn}</dd>
<dt>${t(k('notices.status'))}</dt><dd>${t(k(`notices.state.${status}`))}</dd></dl>
<h2>${t(k('notices.body'))}</h2><p>${notice.body}</p>
${historyTable(context, input.events)}${nextStepForms(context, input)}`,
  });
}
