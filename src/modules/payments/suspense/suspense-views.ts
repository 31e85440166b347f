/**
 * The suspense register pages for the finance desk: every receipt held in suspense, oldest
 * first, with its age; a receipt's page with its proposed and decided matches, the form to
 * find an invoice by the reference the payer meant (showing the invoice and its balance due)
 * and propose it, and approve / reject for a second person. JavaScript off; copy from locales.
 */
import { format } from '#platform/money/index.ts';
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
import type { PaymentRow } from '../payment-repo.ts';
import type { HeldPayment, SuspenseMatchRow } from './suspense-repo.ts';
import type { MatchCandidate } from './suspense-service.ts';

export const suspensePaths = {
  page: '/staff/suspense',
  list: (page = 1): string => page === 1 ? '/staff/suspense' : `/staff/suspense?page=${page}`,
  payment: (paymentId: string): string => `/staff/suspense/${encodeURIComponent(paymentId)}`,
  paymentPattern: '/staff/suspense/:paymentId',
  propose: (paymentId: string): string =>
    `/staff/suspense/${encodeURIComponent(paymentId)}/matches`,
  proposePattern: '/staff/suspense/:paymentId/matches',
  decide: (matchId: string): string =>
    `/staff/suspense/matches/${encodeURIComponent(matchId)}/decision`,
  decidePattern: '/staff/suspense/matches/:matchId/decision',
  /** Helper C's refund request page (payments/refunds). */
  refund: (paymentId: string): string =>
    `/staff/refunds/new?paymentId=${encodeURIComponent(paymentId)}`,
} as const;

const dateTime = (value: Date, language: Language): string =>
  kenyaDateTime(value, language);

const hourMs = 3_600_000;

/** How long a receipt has waited: hours under a day, else days. */
export function ageText(context: PageContext, paidAt: Date, now: Date): string {
  const hours = Math.max(0, Math.floor((now.getTime() - paidAt.getTime()) / hourMs));
  return hours < 24 ? context.t('payments.suspense.ageHours', { hours })
    : context.t('payments.suspense.ageDays', { days: Math.floor(hours / 24) });
}

export type SuspenseListInput = Readonly<{
  page: number;
  pageSize: number;
  total: number;
  now: Date;
  payments: readonly PaymentRow[];
  flags: ReadonlyMap<string, string>;
  openMatches: ReadonlyMap<string, SuspenseMatchRow>;
}>;

function listRow(context: PageContext, input: SuspenseListInput, payment: PaymentRow): SafeHtml {
  const { t, language } = context;
  const open = input.openMatches.get(payment.id);
  return html`<tr><td>${ageText(context, payment.paidAt, input.now)}</td>
<td>${format(payment.amount, language)}</td><td><code>${payment.accountReference}</code></td>
<td><a href="${suspensePaths.payment(payment.id)}">${payment.receiptNumber ??
  t('payments.suspense.noReceipt')}</a></td>
<td>${input.flags.get(payment.id) ?? ''}</td>
<td>${open === undefined ? t('payments.suspense.unresolved')
    : t('payments.suspense.proposedTo', { reference: open.invoiceReference })}</td></tr>`;
}

export function renderSuspenseList(context: PageContext, input: SuspenseListInput): string {
  const { t } = context;
  return renderPage(context, {
    title: t('payments.suspense.title'),
    main: html`<h1>${t('payments.suspense.title')}</h1>
<p>${t('payments.suspense.intro')}</p>
<p>${t('payments.suspense.count', { count: input.total })}</p>
${input.payments.length === 0 ? html`<p>${t('payments.suspense.none')}</p>`
    : html`<table><caption>${t('payments.suspense.caption')}</caption><thead><tr>
<th scope="col">${t('payments.suspense.age')}</th>
<th scope="col">${t('payments.suspense.amount')}</th>
<th scope="col">${t('payments.suspense.typed')}</th>
<th scope="col">${t('payments.suspense.receipt')}</th>
<th scope="col">${t('payments.suspense.flag')}</th>
<th scope="col">${t('payments.suspense.state')}</th></tr></thead>
<tbody>${input.payments.map((payment) => listRow(context, input, payment))}</tbody></table>`}
${pagination(t, { page: input.page, pageSize: input.pageSize, total: input.total,
    hrefFor: suspensePaths.list })}`,
  });
}

export type SuspensePaymentInput = Readonly<{
  now: Date;
  payment: HeldPayment;
  flag: string | undefined;
  matches: readonly SuspenseMatchRow[];
  /** The reference typed in the find form, and what it found. */
  typed: string | undefined;
  candidate: MatchCandidate | undefined;
  canManage: boolean;
  csrf: SafeHtml;
  notice?: string | undefined;
  problem?: string | undefined;
}>;

function matchSection(context: PageContext, input: SuspensePaymentInput,
  match: SuspenseMatchRow): SafeHtml {
  const { t, language } = context;
  const rows: [string, string][] = [
    [t('payments.suspense.invoice'), match.invoiceReference],
    [t('payments.suspense.proposedBy'), match.proposedBy],
    [t('payments.suspense.proposedAt'), dateTime(match.proposedAt, language)],
    [t('payments.suspense.note'), match.proposalNote],
  ];
  if (match.decision !== null) {
    rows.push([t('payments.suspense.decision'), t(`payments.suspense.decision.${match.decision}`)],
      [t('payments.suspense.decidedBy'), match.decidedBy ?? ''],
      [t('payments.suspense.decidedAt'),
        match.decidedAt === null ? '' : dateTime(match.decidedAt, language)]);
  }
  const decideForm = match.decision === null && input.canManage
    ? html`<form method="post" action="${suspensePaths.decide(match.id)}">${input.csrf}
<div class="field"><label for="decision-note">${t('payments.suspense.decisionNote')}</label>
<textarea id="decision-note" name="note" rows="2" maxlength="1000"></textarea></div>
<p class="hint">${t('payments.suspense.twoPeople')}</p>
<button type="submit" name="decision" value="approved">${t('payments.suspense.approve')}</button>
<button type="submit" name="decision" value="rejected" class="secondary">${
  t('payments.suspense.reject')}</button></form>` : html``;
  return html`<section aria-labelledby="match-${match.id}"><h2 id="match-${match.id}">${
    t(match.decision === null ? 'payments.suspense.openMatch' : 'payments.suspense.pastMatch')
  }</h2>${summaryList(rows)}${decideForm}</section>`;
}

function candidateSection(context: PageContext, input: SuspensePaymentInput): SafeHtml {
  const { t, language } = context;
  const { candidate } = input;
  if (input.typed === undefined) return html``;
  if (candidate === undefined) return html`<p>${t('payments.suspense.notFound')}</p>`;
  const rows: [string, string][] = [
    [t('payments.suspense.invoice'), candidate.invoice.reference],
    [t('payments.suspense.invoiceTotal'), format(candidate.invoice.total, language)],
    [t('payments.suspense.balanceDue'), format(candidate.balanceDue, language)],
  ];
  return html`<section aria-labelledby="candidate"><h2 id="candidate">${
    t('payments.suspense.found')}</h2>${summaryList(rows)}${candidate.refusal === undefined
    ? html`<form method="post" action="${suspensePaths.propose(input.payment.id)}">${input.csrf}
<input type="hidden" name="reference" value="${candidate.invoice.reference}">
<div class="field"><label for="proposal-note">${t('payments.suspense.proposalNote')}</label>
<textarea id="proposal-note" name="note" rows="2" maxlength="1000"></textarea></div>
<button type="submit">${t('payments.suspense.propose')}</button></form>`
    : html`<p>${t(`payments.suspense.refusal.${candidate.refusal}`)}</p>`}</section>`;
}

function findForm(context: PageContext, input: SuspensePaymentInput): SafeHtml {
  const { t } = context;
  return html`<form method="get" action="${suspensePaths.payment(input.payment.id)}">
<div class="field"><label for="reference">${t('payments.suspense.reference')}</label>
<p class="hint" id="reference-hint">${t('payments.suspense.referenceHint')}</p>
<input id="reference" name="reference" maxlength="40" autocomplete="off"
 aria-describedby="reference-hint" value="${input.typed ?? ''}"></div>
<button type="submit" class="secondary">${t('payments.suspense.find')}</button></form>`;
}

export function renderSuspensePayment(context: PageContext, input: SuspensePaymentInput):
  string {
  const { t, language } = context;
  const { payment } = input;
  const held = payment.disposition === 'suspense';
  const open = input.matches.some((match) => match.decision === null);
  const rows: [string, string][] = [
    [t('payments.suspense.receipt'), payment.receiptNumber ?? t('payments.suspense.noReceipt')],
    [t('payments.suspense.amount'), format(payment.amount, language)],
    [t('payments.suspense.typed'), payment.accountReference],
    [t('payments.suspense.paidAt'), dateTime(payment.paidAt, language)],
    [t('payments.suspense.age'), ageText(context, payment.paidAt, input.now)],
    [t('payments.suspense.state'), t(`payments.suspense.disposition.${payment.disposition}`)],
  ];
  if (input.flag !== undefined) rows.push([t('payments.suspense.flag'), input.flag]);
  const title = t('payments.suspense.paymentTitle');
  return renderPage(context, {
    title: input.problem === undefined ? title : t('payments.alerts.errorTitle', { title }),
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('payments.alerts.problem')}</h2><p>${t(input.problem)}</p></div>`}${
  input.notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(input.notice)}</p></div>`}
<p><a href="${suspensePaths.page}">${t('payments.suspense.back')}</a></p>
<h1>${title}</h1>${summaryList(rows)}
${input.matches.map((match) => matchSection(context, input, match))}
${held && !open && input.canManage ? html`<h2>${t('payments.suspense.resolve')}</h2>
${findForm(context, input)}${candidateSection(context, input)}
<p><a href="${suspensePaths.refund(payment.id)}">${t('payments.suspense.refund')}</a></p>`
    : html``}`,
  });
}
