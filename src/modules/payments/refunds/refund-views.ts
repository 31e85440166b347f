/**
 * The staff refund pages: the list with its status filter, the request form (a suspense
 * receipt, a payment credited to its payer, or a payer's credit), and a refund's page with its
 * attempts and the forms its status allows (approve / reject, retry or ask the status again,
 * cancel). JavaScript off; every word from the locale files.
 */
import { format, type Money } from '#platform/money/index.ts';
import {
  html,
  kenyaDateTime,
  type Language,
  type PageContext,
  renderPage,
  type SafeHtml,
  summaryList,
} from '#web/index.ts';
import type { RefundAttemptRow, RefundRow } from './refund-repo.ts';
import type { RefundMethod, RefundStatus } from './refund-tables.ts';

export const refundStatuses: readonly RefundStatus[] = [
  'requested', 'approved', 'paying', 'paid', 'failed', 'cancelled', 'rejected'];
export const staffReasons =
  ['double_payment', 'wrong_service', 'suspense_unclaimed', 'other'] as const;

const segment = encodeURIComponent;

export const refundPaths = {
  page: '/staff/refunds',
  list: (status?: RefundStatus): string =>
    status === undefined ? '/staff/refunds' : `/staff/refunds?status=${status}`,
  newPage: '/staff/refunds/new',
  create: '/staff/refunds',
  refund: (id: string): string => `/staff/refunds/${segment(id)}`,
  refundPattern: '/staff/refunds/:refundId',
  decide: (id: string): string => `/staff/refunds/${segment(id)}/decision`,
  decidePattern: '/staff/refunds/:refundId/decision',
  retry: (id: string): string => `/staff/refunds/${segment(id)}/retry`,
  retryPattern: '/staff/refunds/:refundId/retry',
  cancel: (id: string): string => `/staff/refunds/${segment(id)}/cancel`,
  cancelPattern: '/staff/refunds/:refundId/cancel',
  account: '/account/refunds',
  accountNew: '/account/refunds/new',
  /** A paid bill, for the wrong service: GET `accountNew?invoiceId=<id>`, POST here. */
  accountBill: '/account/refunds/bill',
} as const;

const dateTime = (value: Date, language: Language): string =>
  kenyaDateTime(value, language);

export function problemBox(context: PageContext, problem: string | undefined): SafeHtml {
  if (problem === undefined) return html``;
  return html`<div class="error-summary" role="alert"><h2>${
    context.t('payments.refunds.problem')}</h2><p>${context.t(problem)}</p></div>`;
}

export function noticeBox(context: PageContext, notice: string | undefined): SafeHtml {
  return notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${context.t(notice)}</p></div>`;
}

export function titled(context: PageContext, title: string, problem: string | undefined):
  string {
  return problem === undefined ? title : context.t('payments.refunds.errorTitle', { title });
}

/** The table of refunds, for staff (with a link to each) and for the citizen. */
export function refundTable(context: PageContext, refunds: readonly RefundRow[],
  link: boolean): SafeHtml {
  const { t, language } = context;
  if (refunds.length === 0) return html`<p>${t('payments.refunds.none')}</p>`;
  return html`<table><caption>${t('payments.refunds.caption')}</caption><thead><tr>
<th scope="col">${t('payments.refunds.requestedAt')}</th>
<th scope="col">${t('payments.refunds.amount')}</th>
<th scope="col">${t('payments.refunds.reason')}</th>
<th scope="col">${t('payments.refunds.status')}</th>
${link ? html`<th scope="col"><span class="visually-hidden">${
  t('payments.refunds.open')}</span></th>` : html``}</tr></thead><tbody>${
  refunds.map((refund) => html`<tr><td>${dateTime(refund.requestedAt, language)}</td>
<td>${format(refund.amount, language)}</td><td>${t(`payments.refunds.reason.${refund.reason}`)}</td>
<td>${t(`payments.refunds.status.${refund.status}`)}</td>${link ? html`<td><a href="${
  refundPaths.refund(refund.id)}">${t('payments.refunds.open')}</a></td>` : html``}</tr>`)}
</tbody></table>`;
}

/** For those who may request: find a paid bill by its reference, to refund it. */
function billSearch(context: PageContext): SafeHtml {
  const { t } = context;
  return html`<h2>${t('payments.refunds.billSearchTitle')}</h2>
<form method="get" action="${refundPaths.newPage}"><div class="field">
<label for="reference">${t('payments.refunds.billReference')}</label>
<p class="hint" id="reference-hint">${t('payments.refunds.billSearchHint')}</p>
<input id="reference" name="reference" maxlength="40" autocomplete="off"
 aria-describedby="reference-hint" required></div>
<button type="submit" class="secondary">${t('payments.refunds.billSearchSubmit')}</button></form>`;
}

export function renderRefundList(context: PageContext, input: Readonly<{
  refunds: readonly RefundRow[]; status: RefundStatus | undefined; notice?: string | undefined;
  canRequest?: boolean;
}>): string {
  const { t } = context;
  const options = refundStatuses.map((status) => html`<option value="${status}"${
    status === input.status ? html` selected` : html``}>${
    t(`payments.refunds.status.${status}`)}</option>`);
  return renderPage(context, {
    title: t('payments.refunds.title'),
    main: html`${noticeBox(context, input.notice)}<h1>${t('payments.refunds.title')}</h1>
<p>${t('payments.refunds.intro')}</p>
<form method="get" action="${refundPaths.page}"><div class="field">
<label for="status">${t('payments.refunds.filter')}</label>
<select id="status" name="status"><option value="">${t('payments.refunds.filterAll')}</option>
${options}</select></div>
<button type="submit" class="secondary">${t('payments.refunds.filterSubmit')}</button></form>
${refundTable(context, input.refunds, true)}${input.canRequest === true ? billSearch(context)
  : html``}`,
  });
}

export type RefundFormInput = Readonly<{
  action: string;
  /** Hidden fields naming the source. */
  hidden: Readonly<Record<string, string>>;
  summary: readonly (readonly [string, string])[];
  /** Undefined: the whole receipt; else the most that can be asked. */
  maximum: Money | undefined;
  whole: Money | undefined;
  reasons: readonly string[];
  /** The sentence for a whole refund; the whole receipt's by default. */
  wholeKey?: string | undefined;
  values: Readonly<{ amount?: string | undefined; reason?: string | undefined;
    note?: string | undefined }>;
  csrf: SafeHtml;
  submitKey: string;
}>;

/** The request form (staff and citizen). */
export function refundForm(context: PageContext, input: RefundFormInput): SafeHtml {
  const { t, language } = context;
  const reasons = input.reasons.map((reason) => html`<option value="${reason}"${
    reason === input.values.reason ? html` selected` : html``}>${
    t(`payments.refunds.reason.${reason}`)}</option>`);
  const amount = input.maximum === undefined ? html`<p>${t(input.wholeKey ??
    'payments.refunds.wholeReceipt',
    { amount: input.whole === undefined ? '' : format(input.whole, language) })}</p>`
    : html`<div class="field"><label for="amount">${t('payments.refunds.amountLabel')}</label>
<p class="hint" id="amount-hint">${t('payments.refunds.amountHint',
    { amount: format(input.maximum, language) })}</p>
<input id="amount" name="amount" inputmode="numeric" pattern="[0-9]*" maxlength="12"
 aria-describedby="amount-hint" value="${input.values.amount ?? ''}" required></div>`;
  return html`${summaryList(input.summary)}<form method="post" action="${input.action}">${
    input.csrf}${Object.entries(input.hidden).map(([name, value]) =>
    html`<input type="hidden" name="${name}" value="${value}">`)}${amount}
<div class="field"><label for="reason">${t('payments.refunds.reason')}</label>
<select id="reason" name="reason">${reasons}</select></div>
<div class="field"><label for="note">${t('payments.refunds.noteLabel')}</label>
<p class="hint" id="note-hint">${t('payments.refunds.noteHint')}</p>
<textarea id="note" name="note" rows="3" maxlength="1000" aria-describedby="note-hint">${
  input.values.note ?? ''}</textarea></div>
<button type="submit">${t(input.submitKey)}</button></form>`;
}

export function renderRefundNew(context: PageContext, input: RefundFormInput & Readonly<{
  problem?: string | undefined; titleKey: string; introKey: string; backHref: string;
  backKey: string;
}>): string {
  const { t } = context;
  const title = t(input.titleKey);
  return renderPage(context, {
    title: titled(context, title, input.problem),
    main: html`${problemBox(context, input.problem)}
<p><a href="${input.backHref}">${t(input.backKey)}</a></p><h1>${title}</h1>
<p>${t(input.introKey)}</p>${refundForm(context, input)}`,
  });
}

export type RefundPageInput = Readonly<{
  refund: RefundRow;
  attempts: readonly RefundAttemptRow[];
  receipt: string | undefined;
  /** A refund of a paid bill: the bill's reference. */
  bill?: string | undefined;
  canApprove: boolean;
  csrf: SafeHtml;
  notice?: string | undefined;
  problem?: string | undefined;
}>;

function attemptTable(context: PageContext, attempts: readonly RefundAttemptRow[]): SafeHtml {
  const { t, language } = context;
  if (attempts.length === 0) return html``;
  return html`<h2>${t('payments.refunds.attempts')}</h2><table><caption>${
    t('payments.refunds.attemptsCaption')}</caption><thead><tr>
<th scope="col">${t('payments.refunds.attempt')}</th>
<th scope="col">${t('payments.refunds.method')}</th>
<th scope="col">${t('payments.refunds.attemptState')}</th>
<th scope="col">${t('payments.refunds.attemptResult')}</th></tr></thead><tbody>${
  attempts.map((attempt) => html`<tr><td>${attempt.number} (${
    dateTime(attempt.createdAt, language)})</td>
<td>${t(`payments.refunds.method.${attempt.method}`)}</td>
<td>${t(`payments.refunds.attempt.${attempt.state}`)}</td>
<td>${attempt.providerReceipt ?? attempt.resultDescription ?? ''}</td></tr>`)}</tbody></table>`;
}

function methodOptions(context: PageContext, refund: RefundRow): SafeHtml {
  const methods: RefundMethod[] = refund.method === 'card_refund' ? ['card_refund']
    : refund.paymentId === null ? ['mpesa_b2c']
    : refund.payerAccountId === null ? ['mpesa_reversal'] : ['mpesa_reversal', 'mpesa_b2c'];
  return html`${methods.map((method) => html`<option value="${method}"${
    method === refund.method ? html` selected` : html``}>${
    context.t(`payments.refunds.method.${method}`)}</option>`)}`;
}

function actionForms(context: PageContext, input: RefundPageInput): SafeHtml {
  const { t } = context;
  const { refund } = input;
  if (!input.canApprove) return html``;
  const last = input.attempts.at(-1);
  const decide = refund.status === 'requested' ? html`<h2>${t('payments.refunds.decide')}</h2>
<form method="post" action="${refundPaths.decide(refund.id)}">${input.csrf}
<div class="field"><label for="decision-note">${t('payments.refunds.decisionNote')}</label>
<textarea id="decision-note" name="note" rows="2" maxlength="1000"></textarea></div>
<p class="hint">${t('payments.refunds.twoPeople')}</p>
<button type="submit" name="decision" value="approved">${t('payments.refunds.approve')}</button>
<button type="submit" name="decision" value="rejected" class="secondary">${
  t('payments.refunds.reject')}</button></form>` : html``;
  const unknown = refund.status === 'paying' && last?.state === 'unknown';
  const retry = refund.status === 'failed' ? html`<h2>${t('payments.refunds.retryTitle')}</h2>
<form method="post" action="${refundPaths.retry(refund.id)}">${input.csrf}
<div class="field"><label for="method">${t('payments.refunds.retryMethod')}</label>
<select id="method" name="method">${methodOptions(context, refund)}</select></div>
<button type="submit">${t('payments.refunds.retry')}</button></form>`
    : unknown ? html`<p>${t('payments.refunds.unknownHint')}</p>
<form method="post" action="${refundPaths.retry(refund.id)}">${input.csrf}
<button type="submit" class="secondary">${t('payments.refunds.checkStatus')}</button></form>`
      : html``;
  const cancel = refund.status === 'failed' || refund.status === 'requested'
    ? html`<h2>${t('payments.refunds.cancelTitle')}</h2><p>${t('payments.refunds.cancelHint')}</p>
<form method="post" action="${refundPaths.cancel(refund.id)}">${input.csrf}
<button type="submit" class="secondary">${t('payments.refunds.cancel')}</button></form>`
    : html``;
  return html`${decide}${retry}${cancel}`;
}

export function refundSummary(context: PageContext, refund: RefundRow,
  receipt: string | undefined, bill?: string): SafeHtml {
  const { t, language } = context;
  const rows: [string, string][] = [
    [t('payments.refunds.status'), t(`payments.refunds.status.${refund.status}`)],
    [t('payments.refunds.amount'), format(refund.amount, language)],
    [t('payments.refunds.source'), t(`payments.refunds.source.${
      refund.invoiceId === null ? refund.source : 'paid_bill'}`)],
    [t('payments.refunds.reason'), t(`payments.refunds.reason.${refund.reason}`)],
    [t('payments.refunds.method'), t(`payments.refunds.method.${refund.method}`)],
    [t('payments.refunds.requestedAt'), dateTime(refund.requestedAt, language)],
  ];
  if (receipt !== undefined) rows.push([t('payments.refunds.receipt'), receipt]);
  if (bill !== undefined) rows.push([t('payments.refunds.bill'), bill]);
  if (refund.note !== '') rows.push([t('payments.refunds.note'), refund.note]);
  if (refund.providerReceipt !== null) {
    rows.push([t('payments.refunds.providerReceipt'), refund.providerReceipt]);
  }
  if (refund.paidAt !== null) {
    rows.push([t('payments.refunds.paidAt'), dateTime(refund.paidAt, language)]);
  }
  return summaryList(rows);
}

export function renderRefundPage(context: PageContext, input: RefundPageInput): string {
  const { t } = context;
  const { refund } = input;
  const title = t('payments.refunds.refundTitle');
  const people: [string, string][] = [[t('payments.refunds.requestedBy'), refund.requestedBy]];
  if (refund.decidedBy !== null) people.push([t('payments.refunds.decidedBy'), refund.decidedBy]);
  return renderPage(context, {
    title: titled(context, title, input.problem),
    main: html`${problemBox(context, input.problem)}${noticeBox(context, input.notice)}
<p><a href="${refundPaths.page}">${t('payments.refunds.back')}</a></p><h1>${title}</h1>
${refundSummary(context, refund, input.receipt, input.bill)}${summaryList(people)}
${attemptTable(context, input.attempts)}${actionForms(context, input)}`,
  });
}
