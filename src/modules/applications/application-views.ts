/**
 * The applicant's pages: the apply page of a service (start, or continue a draft), an
 * application's page (status, next step, timeline, actions), the list of my applications.
 * Every action is a form with a CSRF field and a client action id, so it works with
 * JavaScript off and a double click acts once.
 */
import {
  html,
  pickText,
  renderPage,
  summaryList,
  type PageContext,
  type SafeHtml,
  type Translate,
} from '#web/index.ts';
import type { ActionRecord, ApplicationState } from './application-repo.ts';
import type { ApplicationStatus } from './application-status.ts';
import { applicationsPaths } from './applications-paths.ts';
import type { ApplicationSummary } from './application-queries.ts';

/** A name in the page's language (the English one when there is no Swahili). */
export function textIn(language: 'en' | 'sw', text: Readonly<{ en: string; sw?: string | null }>):
  string {
  return pickText(language, { en: text.en, sw: text.sw ?? null }).text;
}

export type ServiceNames = Readonly<{ nameEn: string; nameSw: string | null;
  agencyNameEn: string; agencyNameSw: string | null }>;

export function statusTag(t: Translate, status: ApplicationStatus): SafeHtml {
  return html`<strong class="tag tag-${status}">${t(`applications.status.${status}`)}</strong>`;
}

export function dateTime(context: PageContext, at: Date): string {
  return new Intl.DateTimeFormat(context.language === 'sw' ? 'sw-KE' : 'en-KE',
    { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }).format(at);
}

/** A one-button form: CSRF, a fresh client action id, and the button. */
export function actionButton(input: Readonly<{ action: string; csrf: SafeHtml;
  clientActionId: string; label: string; secondary?: boolean; extra?: SafeHtml }>): SafeHtml {
  return html`<form method="post" action="${input.action}" class="inline-form">${input.csrf}
<input type="hidden" name="clientActionId" value="${input.clientActionId}">${input.extra}
<button type="submit" class="${input.secondary === true ? 'button secondary' : 'button'}">${
  input.label}</button></form>`;
}

export type ApplyPageInput = Readonly<{
  service: ServiceNames & Readonly<{ slug: string }>;
  open: readonly ApplicationSummary[];
  csrf: SafeHtml;
  clientActionId: string;
}>;

export function renderApplyPage(context: PageContext, input: ApplyPageInput): string {
  const { t, language } = context;
  const name = textIn(language, { en: input.service.nameEn, sw: input.service.nameSw });
  const agency = textIn(language,
    { en: input.service.agencyNameEn, sw: input.service.agencyNameSw });
  const open = input.open.length === 0 ? html`` : html`<h2>${t('applications.apply.open')}</h2>
<ul class="list">${input.open.map((item) => html`<li><a href="${
  applicationsPaths.application(item.id)}">${item.reference}</a> ${statusTag(t, item.status)} ${
  t('applications.apply.started', { date: dateTime(context, item.createdAt) })}</li>`)}</ul>`;
  return renderPage(context, {
    title: t('applications.apply.title', { service: name }),
    main: html`<h1>${t('applications.apply.title', { service: name })}</h1>
<p class="lead">${t('applications.apply.lead', { agency })}</p>
${open}
<p>${t('applications.apply.howItWorks')}</p>
${actionButton({ action: applicationsPaths.apply(input.service.slug), csrf: input.csrf,
    clientActionId: input.clientActionId, label: t('applications.apply.start') })}`,
  });
}

export type ApplicationPageInput = Readonly<{
  reference: string;
  id: string;
  service: ServiceNames;
  state: ApplicationState;
  actions: readonly ActionRecord[];
  /** The applicant's own view, or the second party's. */
  viewer: 'applicant' | 'second-party';
  needsSecondParty: boolean;
  secondPartyConfirmed: boolean;
  billReference: string | null;
  /** The bill lapsed unpaid: a new one is offered instead of "Pay now". */
  billExpired: boolean;
  documentHref: string | null;
  rated: boolean;
  csrf: SafeHtml;
  clientActionId: string;
  answers: SafeHtml;
  problemKey?: string;
}>;

function nextStepOf(context: PageContext, input: ApplicationPageInput): SafeHtml {
  const { t } = context;
  const { status } = input.state;
  const id = input.id;
  const button = (action: string, label: string, secondary = false) => actionButton({
    action, csrf: input.csrf, clientActionId: input.clientActionId, label, secondary });
  if (input.viewer === 'second-party') {
    return (status === 'draft' || status === 'returned') && !input.secondPartyConfirmed
      ? html`<p>${t('applications.next.confirm')}</p>${
        button(applicationsPaths.action(id, 'confirm'), t('applications.action.confirm'))}`
      : html`<p>${t('applications.next.confirmed')}</p>`;
  }
  switch (status) {
    case 'draft': return html`<p>${t('applications.next.draft')}</p>
<p><a class="button" href="${applicationsPaths.check(id)}">${
  t('applications.action.continue')}</a></p>${input.needsSecondParty ? html`<p>${
  input.secondPartyConfirmed ? t('applications.next.secondPartyConfirmed')
    : t('applications.next.secondPartyPending')}</p>` : html``}`;
    case 'awaiting-payment': return input.billExpired
      ? html`<p>${t('applications.next.billExpired')}</p>${
        button(applicationsPaths.action(id, 'reissue'), t('applications.action.reissue'))}`
      : html`<p>${t('applications.next.pay')}</p>
<p><a class="button" href="/pay/${input.billReference ?? ''}">${
  t('applications.action.pay')}</a></p>`;
    case 'returned': return html`<p>${t('applications.next.returned')}</p>
<p><a class="button" href="${applicationsPaths.check(id)}">${
  t('applications.action.change')}</a></p>`;
    case 'issued': return html`<p>${t('applications.next.issued')}</p>${
      input.documentHref === null ? html`` : html`<p><a class="button" href="${
        input.documentHref}">${t('applications.action.document')}</a></p>`}`;
    default: return html`<p>${t(`applications.next.${status}`)}</p>`;
  }
}

function timeline(context: PageContext, actions: readonly ActionRecord[]): SafeHtml {
  const { t } = context;
  const shown = actions.filter((action) => action.kind !== 'assign' && action.kind !== 'escalate');
  return html`<ol class="timeline">${shown.map((action) => html`<li><span class="when">${
    dateTime(context, action.at)}</span> ${t(`applications.timeline.${action.kind}`)}${
    action.comment === null ? html`` : html`<blockquote>${action.comment}</blockquote>`}</li>`)}
</ol>`;
}

export function renderApplicationPage(context: PageContext, input: ApplicationPageInput):
  string {
  const { t, language } = context;
  const name = textIn(language, { en: input.service.nameEn, sw: input.service.nameSw });
  const cancellable = input.viewer === 'applicant' &&
    ['draft', 'submitted', 'awaiting-payment'].includes(input.state.status);
  const problem = input.problemKey === undefined ? html``
    : html`<div class="error-summary" role="alert" tabindex="-1"><p>${
      t(input.problemKey)}</p></div>`;
  return renderPage(context, {
    title: t('applications.page.title', { reference: input.reference }),
    main: html`${problem}<span class="caption">${name}</span>
<h1>${t('applications.page.title', { reference: input.reference })}</h1>
${summaryList([
    [t('applications.page.status'), statusTag(t, input.state.status)],
    [t('applications.page.agency'), textIn(language,
      { en: input.service.agencyNameEn, sw: input.service.agencyNameSw })],
    ...(input.state.slaDueAt === null ? [] : [[t('applications.page.due'),
      dateTime(context, input.state.slaDueAt)] as const]),
  ])}
<h2>${t('applications.page.next')}</h2>
${nextStepOf(context, input)}
${input.state.status === 'issued' && input.viewer === 'applicant' && !input.rated
    ? ratingForm(context, input) : html``}
<h2>${t('applications.page.history')}</h2>
${timeline(context, input.actions)}
<h2>${t('applications.page.answers')}</h2>
${input.answers}
${cancellable ? html`<h2>${t('applications.page.cancelTitle')}</h2><p>${
  t('applications.page.cancelLead')}</p>${actionButton({
  action: applicationsPaths.action(input.id, 'cancel'), csrf: input.csrf,
  clientActionId: input.clientActionId, label: t('applications.action.cancel'),
  secondary: true })}` : html``}`,
  });
}

function ratingForm(context: PageContext, input: ApplicationPageInput): SafeHtml {
  const { t } = context;
  const options = [5, 4, 3, 2, 1].map((value) => html`<div class="radio"><input type="radio"
 id="rating-${value}" name="rating" value="${value}" required><label for="rating-${value}">${
  t(`applications.rating.${value}`)}</label></div>`);
  return html`<h2 id="rate">${t('applications.rating.title')}</h2>
<form method="post" action="${applicationsPaths.rate(input.id)}">${input.csrf}
<fieldset><legend>${t('applications.rating.legend')}</legend>${options}</fieldset>
<div class="field"><label for="rating-comment">${t('applications.rating.comment')}</label>
<textarea id="rating-comment" name="comment" rows="3" maxlength="1000"></textarea></div>
<button type="submit" class="button">${t('applications.rating.send')}</button></form>`;
}

export function renderMyApplications(context: PageContext, input: Readonly<{
  mine: readonly ApplicationSummary[]; toConfirm: readonly ApplicationSummary[] }>): string {
  const { t, language } = context;
  const rows = (items: readonly ApplicationSummary[]) => html`<table class="table">
<thead><tr><th scope="col">${t('applications.list.reference')}</th><th scope="col">${
  t('applications.list.service')}</th><th scope="col">${t('applications.list.status')}</th>
<th scope="col">${t('applications.list.updated')}</th></tr></thead><tbody>${
  items.map((item) => html`<tr><td><a href="${applicationsPaths.application(item.id)}">${
    item.reference}</a></td><td>${textIn(language, { en: item.serviceNameEn,
    sw: item.serviceNameSw })}</td><td>${statusTag(t, item.status)}</td><td>${
    dateTime(context, item.updatedAt)}</td></tr>`)}</tbody></table>`;
  return renderPage(context, {
    title: t('applications.list.title'),
    main: html`<h1>${t('applications.list.title')}</h1>
${input.toConfirm.length === 0 ? html`` : html`<h2>${t('applications.list.toConfirm')}</h2>${
  rows(input.toConfirm)}`}
${input.mine.length === 0 ? html`<p>${t('applications.list.none')}</p>` : rows(input.mine)}`,
  });
}

/** The account page's section: the latest applications and what each waits for. */
export function applicationsSection(context: PageContext,
  mine: readonly ApplicationSummary[]): SafeHtml {
  const { t, language } = context;
  return html`<section aria-labelledby="applications-title"><h2 id="applications-title">${
    t('applications.list.title')}</h2>${mine.length === 0
    ? html`<p>${t('applications.list.none')}</p>`
    : html`<ul class="list">${mine.map((item) => html`<li><a href="${
      applicationsPaths.application(item.id)}">${textIn(language, { en: item.serviceNameEn,
      sw: item.serviceNameSw })} (${item.reference})</a> ${statusTag(t, item.status)}</li>`)}</ul>`}
<p><a href="${applicationsPaths.mine}">${t('applications.list.all')}</a></p></section>`;
}
