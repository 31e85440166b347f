/**
 * The agent's pages for a citizen's application: one page of the service's form (rendered by
 * applications' form engine), and check the answers with the button that submits. Each page
 * says whose application it is and that it is made through this agent. JS off.
 */
import {
  renderCheckAnswers,
  renderFormPage,
  validateAnswers,
  type FieldError,
} from '#modules/applications/index.ts';
import { html, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import type { AssistedApplication } from './assisted-application-service.ts';
import { assistedPaths } from './assisted-paths.ts';
import { problemBox } from './view-parts.ts';

function throughLine(context: PageContext, application: AssistedApplication): SafeHtml {
  const { session, draft } = application;
  return html`<p>${context.t('assisted.application.through', { reference: draft.reference,
    name: session.citizenName, number: session.agent.agentNumber })}</p>`;
}

export function renderApplicationPage(context: PageContext, input: Readonly<{
  application: AssistedApplication; pageId: string; errors: readonly FieldError[];
  csrf: SafeHtml }>): string {
  const { application, pageId } = input;
  const { session, draft } = application;
  const form = renderFormPage(context, { def: draft.form, pageId, answers: draft.answers,
    errors: input.errors, csrf: input.csrf,
    action: assistedPaths.applicationPage(session.id, application.id, pageId),
    caption: context.t('assisted.application.caption', { name: session.citizenName }) });
  const title = `${input.errors.length > 0 ? `${context.t('assisted.errorPrefix')} ` : ''}${
    context.t('assisted.application.pageTitle', { reference: draft.reference })}`;
  return renderPage(context, { title, main: html`<p><a class="back" href="${
    assistedPaths.session(session.id)}">${context.t('assisted.bill.back')}</a></p>
${throughLine(context, application)}${form}` });
}

export function renderApplicationCheck(context: PageContext, input: Readonly<{
  application: AssistedApplication; csrf: SafeHtml; clientActionId: string; code?: string;
  params?: Readonly<Record<string, string>> }>): string {
  const { t } = context;
  const { application } = input;
  const { session, draft } = application;
  const title = t('assisted.application.checkTitle');
  const problems = validateAnswers(draft.form, draft.answers);
  const submit = draft.status !== 'draft'
    ? html`<p class="notice">${t('assisted.application.submitted')}</p>`
    : problems.length > 0 ? html`<p class="notice">${t('assisted.application.incomplete')}</p>`
    : html`<p>${t('assisted.application.declaration')}</p>
<form method="post" action="${assistedPaths.applicationSubmit(session.id, application.id)}">${
  input.csrf}<input type="hidden" name="clientActionId" value="${input.clientActionId}">
<button type="submit">${t('assisted.application.submit')}</button></form>`;
  return renderPage(context, { title: input.code === undefined ? title
    : `${t('assisted.errorPrefix')} ${title}`, main: html`${
    problemBox(context, input.code, input.params)}<p><a class="back" href="${
    assistedPaths.session(session.id)}">${t('assisted.bill.back')}</a></p><h1>${title}</h1>
${throughLine(context, application)}
${renderCheckAnswers(context, { def: draft.form, answers: draft.answers,
    changeHref: (pageId: string) => assistedPaths.applicationPage(session.id, application.id,
      pageId) })}${submit}` });
}
