/**
 * The form's pages inside the application: one page of questions, and check your answers
 * (with "Change" links, the problems still to fix, and the button that submits, asks the
 * second party to confirm, or resubmits after a return).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfField } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { html, renderPage, sendHtml } from '#web/index.ts';
import { applicationsDb, listActions } from './application-repo.ts';
import type { ApplicationsDeps } from './application-service.ts';
import { actionButton, textIn } from './application-views.ts';
import { applicationsPaths } from './applications-paths.ts';
import type { Owned } from './applicant-access.ts';
import {
  findPage,
  previousPageId,
  renderCheckAnswers,
  renderFormPage,
  validateAnswers,
  visiblePages,
  type FieldError,
} from './forms/index.ts';
import { editableStatuses } from './application-status.ts';

export async function formPageResponse(
  request: FastifyRequest,
  reply: FastifyReply,
  owned: Owned,
  pageId: string,
  errors: readonly FieldError[],
  status = 200,
): Promise<FastifyReply> {
  const page = findPage(owned.form, pageId);
  if (page === undefined || owned.viewer !== 'applicant') {
    throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  }
  if (!editableStatuses.includes(owned.state.status)) {
    return reply.redirect(applicationsPaths.application(owned.application.id), 303);
  }
  const context = request.pageContext();
  const { t } = context;
  const id = owned.application.id;
  const previous = previousPageId(owned.form, pageId, owned.answers);
  const title = textIn(context.language, page.title);
  return sendHtml(reply, renderPage(context, {
    title: errors.length > 0 ? `${t('applications.form.errorPrefix')} ${title}` : title,
    main: html`<p><a class="back" href="${previous === undefined
      ? applicationsPaths.application(id) : applicationsPaths.page(id, previous)}">${
      t('applications.form.back')}</a></p>
<span class="caption">${owned.application.reference}</span>
${renderFormPage(context, { def: owned.form, pageId, answers: owned.answers, errors,
    action: applicationsPaths.page(id, pageId), csrf: csrfField(request) })}
<p>${t('applications.form.saved')}</p>`,
  }), status);
}

function submitLabelKey(owned: Owned, confirmed: boolean): string | undefined {
  const returned = owned.state.status === 'returned';
  if (!returned && owned.state.status !== 'draft') return undefined;
  const done = returned ? 'applications.check.resubmit' : 'applications.check.submit';
  if (owned.form.secondParty === undefined || confirmed) return done;
  return owned.state.secondPartyAccountId === null ? 'applications.check.askSecondParty'
    : 'applications.check.askAgain';
}

export async function checkPageResponse(
  deps: ApplicationsDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  owned: Owned,
  problemCode?: string,
): Promise<FastifyReply> {
  if (owned.viewer !== 'applicant') throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  const id = owned.application.id;
  if (!editableStatuses.includes(owned.state.status)) {
    return reply.redirect(applicationsPaths.application(id), 303);
  }
  const context = request.pageContext();
  const { t } = context;
  const actions = await listActions(applicationsDb(deps.db), id);
  const confirmed = actions.some((action) => action.kind === 'confirm' &&
    action.detail?.['answersVersion'] === owned.state.answersVersion);
  const problems = validateAnswers(owned.form, owned.answers);
  const pages = visiblePages(owned.form, owned.answers);
  const label = submitLabelKey(owned, confirmed);
  const problemBox = problemCode === undefined ? html`` : html`<div class="error-summary"
 role="alert" tabindex="-1"><h2>${t('applications.check.problemTitle')}</h2><p>${
  t(`applications.problem.${problemCode}`)}</p></div>`;
  const incomplete = problems.length === 0 ? html`` : html`<div class="notice"><p>${
    t('applications.check.incomplete', { count: problems.length })}</p>${pages.length === 0
    ? html`` : html`<p><a href="${applicationsPaths.page(id, pages[0]?.id ?? '')}">${
      t('applications.check.startAgain')}</a></p>`}</div>`;
  const waiting = editableStatuses.includes(owned.state.status) &&
    owned.form.secondParty !== undefined &&
    owned.state.secondPartyAccountId !== null && !confirmed
    ? html`<p class="notice">${t('applications.check.waitingSecondParty')}</p>` : html``;
  return sendHtml(reply, renderPage(context, {
    title: t('applications.check.title'),
    main: html`${problemBox}<span class="caption">${owned.application.reference}</span>
<h1>${t('applications.check.title')}</h1>
${renderCheckAnswers(context, { def: owned.form, answers: owned.answers,
    changeHref: (pageId: string) => applicationsPaths.page(id, pageId),
    fileHref: (fileId: string) => applicationsPaths.file(id, fileId) })}
${incomplete}${waiting}
${label === undefined || problems.length > 0 ? html`` : html`<h2>${
  t('applications.check.declarationTitle')}</h2><p>${t('applications.check.declaration')}</p>${
  actionButton({ action: applicationsPaths.submit(id), csrf: csrfField(request),
    clientActionId: uuidv7(), label: t(label) })}`}`,
  }), problemCode === undefined ? 200 : 409);
}
