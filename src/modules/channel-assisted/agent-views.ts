/**
 * The agent's pages: serve a citizen (find them, send the code), enter the code the citizen
 * reads out, the session (make a bill, end), and a bill (the government fee and the agent fee
 * apart; send the M-Pesa prompt to the citizen's phone). The citizen's ID number is shown
 * masked, their phone by its last three digits; none of their other affairs. JS off.
 */
import { html, kenyaDateTime, renderPage, summaryList, type PageContext,
  type SafeHtml } from '#web/index.ts';
import type { AgentView } from './agent-register-service.ts';
import type { AssistedBill } from './assisted-payment-service.ts';
import { assistedPaths } from './assisted-paths.ts';
import type { AssistedSession } from './consent-service.ts';
import { agentLine, amount, noticeBox, problemBox } from './view-parts.ts';

type Problem = Readonly<{ code?: string | undefined; params?: Readonly<Record<string, string>> }>;

export function renderAgentHome(context: PageContext, input: Problem & Readonly<{
  agent: AgentView | undefined; csrf: SafeHtml; citizen?: string; notice?: string;
  recent?: SafeHtml }>): string {
  const { t } = context;
  const title = t('assisted.home.title');
  const form = input.agent === undefined ? html`<p>${t('assisted.home.notRegistered')}</p>`
    : html`<p>${agentLine(context, input.agent)}</p>
<form method="post" action="${assistedPaths.consents}">${input.csrf}
<div class="field"><label for="citizen">${t('assisted.home.citizen')}</label>
<p class="hint" id="citizen-hint">${t('assisted.home.citizenHint')}</p>
<input id="citizen" name="citizen" maxlength="20" autocomplete="off" required
 aria-describedby="citizen-hint" value="${input.citizen ?? ''}"></div>
<button type="submit">${t('assisted.home.send')}</button></form>`;
  return renderPage(context, { title, main: html`${problemBox(context, input.code, input.params)}
${noticeBox(context, input.notice)}<h1>${title}</h1><p>${t('assisted.home.intro')}</p>${form}
<p><a href="${assistedPaths.feeTable}">${t('assisted.feeTable.link')}</a></p>
${input.recent ?? html``}` });
}

export function renderCodePage(context: PageContext, input: Problem & Readonly<{
  consentId: string; phoneEnding: string; csrf: SafeHtml }>): string {
  const { t } = context;
  const title = t('assisted.code.title');
  return renderPage(context, { title: input.code === undefined ? title
    : `${t('assisted.errorPrefix')} ${title}`, main: html`${
    problemBox(context, input.code, input.params)}<h1>${title}</h1>
<p>${t('assisted.code.sent', { ending: input.phoneEnding })}</p>
<form method="post" action="${assistedPaths.consent(input.consentId)}">${input.csrf}
<div class="field"><label for="code">${t('assisted.code.label')}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="off" maxlength="8" required
></div><button type="submit">${t('assisted.code.submit')}</button></form>
<p><a href="${assistedPaths.agentHome}">${t('assisted.code.again')}</a></p>` });
}

function sessionFacts(context: PageContext, session: AssistedSession): SafeHtml {
  const { t, language } = context;
  return summaryList([
    [t('assisted.session.name'), session.citizenName],
    [t('assisted.session.document'), session.maskedDocument],
    [t('assisted.session.phone'), session.phoneEnding === null
      ? t('assisted.session.noPhone') : t('assisted.session.phoneEnding',
        { ending: session.phoneEnding })],
    [t('assisted.session.ends'), kenyaDateTime(session.expiresAt, language)],
  ]);
}

export function renderSessionPage(context: PageContext, input: Problem & Readonly<{
  session: AssistedSession; csrf: SafeHtml; requestKey: string; service?: string;
  agentFee?: string }>): string {
  const { t } = context;
  const { session } = input;
  const title = t('assisted.session.title', { name: session.citizenName });
  return renderPage(context, { title: input.code === undefined ? title
    : `${t('assisted.errorPrefix')} ${title}`, main: html`${
    problemBox(context, input.code, input.params)}<h1>${title}</h1>${sessionFacts(context, session)}
<h2>${t('assisted.bill.new')}</h2><p>${t('assisted.bill.intro')}</p>
<form method="post" action="${assistedPaths.bills(session.id)}">${input.csrf}
<input type="hidden" name="requestKey" value="${input.requestKey}">
<div class="field"><label for="service">${t('assisted.bill.service')}</label>
<p class="hint" id="service-hint">${t('assisted.bill.serviceHint')}</p>
<input id="service" name="service" maxlength="200" autocomplete="off" required
 aria-describedby="service-hint" value="${input.service ?? ''}"></div>
<div class="field"><label for="agentFee">${t('assisted.bill.agentFee')}</label>
<p class="hint" id="fee-hint">${t('assisted.bill.agentFeeHint')}</p>
<input id="agentFee" name="agentFee" inputmode="decimal" maxlength="12" autocomplete="off"
 required aria-describedby="fee-hint" value="${input.agentFee ?? ''}"></div>
<button type="submit">${t('assisted.bill.make')}</button></form>
<p><a href="${assistedPaths.feeTable}">${t('assisted.feeTable.link')}</a></p>
<form method="post" action="${assistedPaths.end(session.id)}">${input.csrf}
<button type="submit" class="secondary">${t('assisted.session.end')}</button></form>` });
}

function feeTable(context: PageContext, bill: AssistedBill): SafeHtml {
  const { t } = context;
  const invoice = bill.invoice;
  return html`<table><caption>${t('assisted.bill.caption')}</caption><thead><tr>
<th scope="col">${t('assisted.bill.what')}</th><th scope="col">${t('assisted.bill.paidTo')}</th>
<th scope="col" class="num">${t('assisted.bill.amount')}</th></tr></thead><tbody>
<tr><th scope="row">${t('assisted.bill.governmentFee')}</th><td>${
  t('assisted.bill.toPaybill', { reference: invoice.reference })}</td>
<td class="num">${amount(context, invoice.total)}</td></tr>
<tr><th scope="row">${t('assisted.bill.agentFeeRow')}</th><td>${
  t('assisted.bill.toAgent', { number: bill.session.agent.agentNumber })}</td>
<td class="num">${amount(context, bill.agentFee)}</td></tr></tbody></table>
<p>${t('assisted.bill.apart')}</p>`;
}

export function renderBillPage(context: PageContext, input: Problem & Readonly<{
  bill: AssistedBill; csrf: SafeHtml; notice?: string }>): string {
  const { t } = context;
  const { bill } = input;
  const invoice = bill.invoice;
  const title = t('assisted.bill.title', { reference: invoice.reference });
  const paid = invoice.status === 'paid';
  const ending = bill.session.phoneEnding ?? '';
  return renderPage(context, { title, main: html`${problemBox(context, input.code, input.params)}
${noticeBox(context, input.notice)}
<p><a class="back" href="${assistedPaths.session(bill.session.id)}">${
  t('assisted.bill.back')}</a></p><h1>${title}</h1>
<p>${t('assisted.bill.forCitizen', { name: bill.session.citizenName })}</p>
${feeTable(context, bill)}
${summaryList([
    [t('assisted.bill.status'), t(`assisted.bill.status.${paid ? 'paid' : 'due'}`)],
    [t('assisted.bill.balance'), amount(context, invoice.balanceDue)],
  ])}
${paid ? html`<p>${t('assisted.bill.receiptToCitizen')}</p>` : html`<form method="post"
 action="${assistedPaths.prompt(bill.session.id, bill.id)}">${input.csrf}
<button type="submit">${t('assisted.bill.prompt', { ending })}</button></form>
<p><a href="${assistedPaths.bill(bill.session.id, bill.id)}">${
  t('assisted.bill.check')}</a></p>`}` });
}
