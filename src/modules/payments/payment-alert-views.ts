/**
 * The payment alerts page for Treasury and auditors: open (or closed) alerts, oldest first,
 * each with what it is about; Treasury closes an open one with a note. Works with JavaScript
 * off; all copy from the locale files.
 */
import { format } from '#platform/money/index.ts';
import {
  html,
  kenyaDateTime,
  type Language,
  type PageContext,
  renderPage,
  type SafeHtml,
  summaryList,
} from '#web/index.ts';
import type { AlertState, PaymentAlertRow } from './payment-alert-repo.ts';
import { closingNoteLengthMax } from './payment-alert-service.ts';

export const paymentAlertPaths = {
  page: '/staff/payment-alerts',
  list: (state: AlertState, page = 1): string =>
    `/staff/payment-alerts?state=${state}${page === 1 ? '' : `&page=${page}`}`,
  close: (alertId: string): string =>
    `/staff/payment-alerts/${encodeURIComponent(alertId)}/close`,
  closePattern: '/staff/payment-alerts/:alertId/close',
  api: '/api/v1/payments/alerts',
} as const;

export type AlertsPageInput = Readonly<{
  state: AlertState;
  page: number;
  alerts: readonly PaymentAlertRow[];
  hasNextPage: boolean;
  canClose: boolean;
  csrf: SafeHtml;
  /** The message key of a notice to show (after a close). */
  notice?: string | undefined;
  /** A close that failed: which alert, the message key, and the note as typed. */
  problem?: Readonly<{ alertId: string; messageKey: string; note: string }> | undefined;
}>;

const dateTime = (value: Date, language: Language): string =>
  kenyaDateTime(value, language);

function closeForm(context: PageContext, input: AlertsPageInput, alert: PaymentAlertRow):
  SafeHtml {
  const { t } = context;
  const problem = input.problem?.alertId === alert.id ? input.problem : undefined;
  const field = `note-${alert.id}`;
  const describedBy = problem === undefined ? `${field}-hint` : `${field}-hint ${field}-error`;
  return html`<form method="post" action="${paymentAlertPaths.close(alert.id)}" novalidate>
${input.csrf}<div class="field${problem === undefined ? '' : ' field-error'}">
<label for="${field}">${t('payments.alerts.note')}</label>
<p class="hint" id="${field}-hint">${t('payments.alerts.noteHint')}</p>
${problem === undefined ? html``
    : html`<p class="error-message" id="${field}-error">${t(problem.messageKey)}</p>`}
<textarea id="${field}" name="note" rows="3" maxlength="${String(closingNoteLengthMax)}"
 aria-describedby="${describedBy}">${problem?.note ?? ''}</textarea></div>
<button type="submit">${t('payments.alerts.close')}</button></form>`;
}

function alertSection(context: PageContext, input: AlertsPageInput, alert: PaymentAlertRow):
  SafeHtml {
  const { t, language } = context;
  const rows: [string, SafeHtml | string][] = [
    [t('payments.alerts.reason'), alert.reason],
    [t('payments.alerts.raisedAt'), dateTime(alert.raisedAt, language)],
  ];
  if (alert.receiptNumber !== null) rows.push([t('payments.alerts.receipt'), alert.receiptNumber]);
  if (alert.amount !== undefined) {
    rows.push([t('payments.alerts.amount'), format(alert.amount, language)]);
  }
  if (alert.rawId !== null) {
    rows.push([t('payments.alerts.callback'), html`<code>${alert.rawId}</code>`]);
  }
  if (alert.closure !== undefined) {
    rows.push([t('payments.alerts.closedAt'), dateTime(alert.closure.closedAt, language)],
      [t('payments.alerts.closedBy'), alert.closure.closedBy],
      [t('payments.alerts.closingNote'), alert.closure.note]);
  }
  const open = alert.closure === undefined;
  return html`<section aria-labelledby="alert-${alert.id}">
<h2 id="alert-${alert.id}">${t(`payments.alerts.kind.${alert.kind}`)}</h2>
${summaryList(rows)}
${open && input.canClose ? closeForm(context, input, alert) : html``}</section>`;
}

export function renderAlertsPage(context: PageContext, input: AlertsPageInput): string {
  const { t } = context;
  const title = t('payments.alerts.title');
  const other: AlertState = input.state === 'open' ? 'closed' : 'open';
  const problem = input.problem;
  return renderPage(context, {
    title: problem === undefined ? title : t('payments.alerts.errorTitle', { title }),
    main: html`${problem === undefined ? html`` : html`<div class="error-summary" role="alert">
<h2>${t('payments.alerts.problem')}</h2><p><a href="#note-${problem.alertId}">${
  t(problem.messageKey)}</a></p></div>`}${input.notice === undefined ? html``
  : html`<div class="notice" role="status"><p>${t(input.notice)}</p></div>`}
<h1>${title}</h1>
<p>${t('payments.alerts.intro')}</p>
<p><strong>${t(`payments.alerts.showing.${input.state}`)}</strong> ·
<a href="${paymentAlertPaths.list(other)}">${t(`payments.alerts.show.${other}`)}</a></p>
${input.alerts.length === 0 ? html`<p>${t(`payments.alerts.none.${input.state}`)}</p>`
    : input.alerts.map((alert) => alertSection(context, input, alert))}
${input.page > 1 || input.hasNextPage ? html`<nav aria-label="${t('payments.alerts.pages')}"><ul>${
  input.page > 1 ? html`<li><a href="${paymentAlertPaths.list(input.state, input.page - 1)}">${
    t('payments.alerts.previous')}</a></li>` : html``}${input.hasNextPage
  ? html`<li><a href="${paymentAlertPaths.list(input.state, input.page + 1)}">${
    t('payments.alerts.next')}</a></li>` : html``}</ul></nav>` : html``}`,
  });
}
