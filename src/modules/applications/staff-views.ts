/**
 * The agency's pages: the work queue (filters, SLA due dates, breaches highlighted) and the
 * review page (answers, documents, payment, history, and the actions the officer may take).
 */
import {
  html,
  pagination,
  renderPage,
  summaryList,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import type { ActionRecord, ApplicationState } from './application-repo.ts';
import type { ApplicationSummary } from './application-queries.ts';
import type { ApplicationStatus } from './application-status.ts';
import { dateTime, statusTag, textIn, type ServiceNames } from './application-views.ts';
import { applicationsPaths } from './applications-paths.ts';
import type { StaffActionKind } from './review-service.ts';

export type QueueQuery = Readonly<{ service?: string; status?: ApplicationStatus;
  mine?: boolean; breached?: boolean; page: number }>;

export function queueHref(query: QueueQuery): string {
  const params = new URLSearchParams();
  if (query.service !== undefined) params.set('service', query.service);
  if (query.status !== undefined) params.set('status', query.status);
  if (query.mine === true) params.set('mine', '1');
  if (query.breached === true) params.set('breached', '1');
  if (query.page > 1) params.set('page', String(query.page));
  const text = params.toString();
  return text === '' ? applicationsPaths.queue : `${applicationsPaths.queue}?${text}`;
}

export type QueuePageInput = Readonly<{
  query: QueueQuery;
  items: readonly ApplicationSummary[];
  total: number;
  pageSize: number;
  services: readonly { id: string; nameEn: string; nameSw: string | null }[];
  statuses: readonly ApplicationStatus[];
  now: Date;
}>;

export function queueTable(context: PageContext, items: readonly ApplicationSummary[],
  now: Date): SafeHtml {
  const { t, language } = context;
  if (items.length === 0) return html`<p>${t('applications.queue.empty')}</p>`;
  return html`<table class="table"><thead><tr><th scope="col">${
    t('applications.list.reference')}</th><th scope="col">${t('applications.list.service')}</th>
<th scope="col">${t('applications.list.status')}</th><th scope="col">${
  t('applications.queue.due')}</th><th scope="col">${t('applications.queue.assigned')}</th>
</tr></thead><tbody>${items.map((item) => {
    const breached = item.slaDueAt !== null && item.slaDueAt < now;
    return html`<tr${breached ? html` class="breach"` : html``}><td><a href="${
      applicationsPaths.staffApplication(item.id)}">${item.reference}</a></td><td>${
      textIn(language, { en: item.serviceNameEn, sw: item.serviceNameSw })}</td><td>${
      statusTag(t, item.status)}</td><td>${item.slaDueAt === null ? '–'
      : dateTime(context, item.slaDueAt)}${breached ? html` <strong class="tag tag-breach">${
        t('applications.queue.breached')}</strong>` : html``}${item.escalatedAt === null
      ? html`` : html` <span class="tag">${t('applications.queue.escalated')}</span>`}</td><td>${
      item.assignedStaffName ?? t('applications.queue.unassigned')}</td></tr>`;
  })}</tbody></table>`;
}

export function renderQueuePage(context: PageContext, input: QueuePageInput): string {
  const { t, language } = context;
  const { query } = input;
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}"${selected ? html` selected` : html``}>${label}</option>`;
  return renderPage(context, {
    title: t('applications.queue.title'),
    main: html`<h1>${t('applications.queue.title')}</h1>
<form method="get" action="${applicationsPaths.queue}" class="filters">
<div class="field"><label for="service">${t('applications.list.service')}</label>
<select id="service" name="service">${option('', t('applications.queue.any'),
    query.service === undefined)}${input.services.map((service) => option(service.id,
    textIn(language, { en: service.nameEn, sw: service.nameSw }),
    query.service === service.id))}</select></div>
<div class="field"><label for="status">${t('applications.list.status')}</label>
<select id="status" name="status">${option('', t('applications.queue.toDo'),
    query.status === undefined)}${input.statuses.map((status) => option(status,
    t(`applications.status.${status}`), query.status === status))}</select></div>
<div class="checkbox"><input type="checkbox" id="mine" name="mine" value="1"${
  query.mine === true ? html` checked` : html``}><label for="mine">${
  t('applications.queue.mine')}</label></div>
<div class="checkbox"><input type="checkbox" id="breached" name="breached" value="1"${
  query.breached === true ? html` checked` : html``}><label for="breached">${
  t('applications.queue.onlyBreached')}</label></div>
<button type="submit" class="button secondary">${t('applications.queue.filter')}</button>
</form>
<p>${t('applications.queue.count', { count: input.total })}</p>
${queueTable(context, input.items, input.now)}
${pagination(t, { page: query.page, pageSize: input.pageSize, total: input.total,
    hrefFor: (page: number) => queueHref({ ...query, page }) })}`,
  });
}

export type ReviewPageInput = Readonly<{
  id: string;
  reference: string;
  service: ServiceNames;
  state: ApplicationState;
  actions: readonly ActionRecord[];
  answers: SafeHtml;
  payment: SafeHtml;
  allowed: readonly StaffActionKind[];
  officers: readonly { id: string; name: string }[];
  csrf: SafeHtml;
  clientActionId: string;
  documentHref: string | null;
  problemKey?: string;
  /** The action whose comment was missing: its field shows the error. */
  commentMissingFor?: StaffActionKind;
  now: Date;
}>;

function actionForms(context: PageContext, input: ReviewPageInput): SafeHtml {
  const { t } = context;
  const form = (kind: StaffActionKind, body: SafeHtml, secondary = false) => html`<form
 method="post" action="${applicationsPaths.staffAction(input.id)}" class="action-form" novalidate>${
  input.csrf}<input type="hidden" name="clientActionId" value="${input.clientActionId}">
<input type="hidden" name="kind" value="${kind}">${body}<button type="submit" class="${
  secondary ? 'button secondary' : 'button'}">${t(`applications.staffAction.${kind}`)}</button>
</form>`;
  const comment = (kind: StaffActionKind, labelKey: string) => {
    const missing = input.commentMissingFor === kind;
    return html`<div class="field${missing ? ' field-error' : ''}"><label for="${kind}-comment">${
      t(labelKey)}</label>${missing ? html`<p class="error-message" id="${kind}-comment-error">${
      t('applications.problem.APPLICATION_COMMENT_REQUIRED')}</p>` : html``}<textarea id="${
      kind}-comment" name="comment" rows="3" maxlength="2000" required${missing
      ? html` aria-invalid="true" aria-describedby="${kind}-comment-error"` : html``}></textarea>
</div>`;
  };
  const forms: SafeHtml[] = input.allowed.map((kind) => {
    if (kind === 'return') return form(kind, comment(kind, 'applications.staffAction.returnWhat'));
    if (kind === 'reject') return form(kind, comment(kind, 'applications.staffAction.rejectWhy'),
      true);
    if (kind === 'assign') {
      return form(kind, input.officers.length === 0 ? html`` : html`<div class="field"><label
 for="assign-to">${t('applications.staffAction.assignTo')}</label><select id="assign-to"
 name="assignTo">${input.officers.map((officer) => html`<option value="${officer.id}">${
  officer.name}</option>`)}</select></div>`, true);
    }
    return form(kind, html``);
  });
  return forms.length === 0 ? html`<p>${t('applications.review.nothingToDo')}</p>` : html`${forms}`;
}

export function renderReviewPage(context: PageContext, input: ReviewPageInput): string {
  const { t, language } = context;
  const breached = input.state.slaDueAt !== null && input.state.slaDueAt < input.now;
  const problem = input.problemKey === undefined ? html`` : html`<div class="error-summary"
 role="alert" tabindex="-1"><p>${input.commentMissingFor === undefined ? t(input.problemKey)
  : html`<a href="#${input.commentMissingFor}-comment">${t(input.problemKey)}</a>`}</p></div>`;
  const title = t('applications.review.title', { reference: input.reference });
  return renderPage(context, {
    title: input.problemKey === undefined ? title
      : `${t('applications.form.errorPrefix')} ${title}`,
    main: html`${problem}<p><a class="back" href="${applicationsPaths.queue}">${
      t('applications.review.back')}</a></p>
<span class="caption">${textIn(language, { en: input.service.nameEn,
    sw: input.service.nameSw })}</span>
<h1>${t('applications.review.title', { reference: input.reference })}</h1>
${summaryList([
    [t('applications.page.status'), statusTag(t, input.state.status)],
    [t('applications.queue.due'), html`${input.state.slaDueAt === null ? '–'
      : dateTime(context, input.state.slaDueAt)}${breached ? html` <strong class="tag tag-breach">${
        t('applications.queue.breached')}</strong>` : html``}`],
    [t('applications.review.payment'), input.payment],
    ...(input.documentHref === null ? [] : [[t('applications.review.document'),
      html`<a href="${input.documentHref}">${
        t('applications.review.openDocument')}</a>`] as const]),
  ])}
<h2>${t('applications.review.actions')}</h2>
${actionForms(context, input)}
<h2>${t('applications.review.answers')}</h2>
${input.answers}
<h2>${t('applications.page.history')}</h2>
<ol class="timeline">${input.actions.map((action) => html`<li><span class="when">${
  dateTime(context, action.at)}</span> ${t(`applications.timeline.${action.kind}`)} (${
  t(`applications.actor.${action.actorKind}`)})${action.comment === null ? html``
  : html`<blockquote>${action.comment}</blockquote>`}</li>`)}</ol>`,
  });
}
