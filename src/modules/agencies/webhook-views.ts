/**
 * The agency webhooks pages (/staff/agency-webhooks) for agency administrators: the agency's
 * endpoints with a form to add one, rotate a secret or disable an endpoint (a new secret is
 * shown once, on the page that answers the form), and each endpoint's delivery log with
 * replay. Works with JavaScript off; all copy from the locale files.
 */
import {
  html,
  kenyaDateTime,
  type PageContext,
  renderPage,
  type SafeHtml,
} from '#web/index.ts';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './webhook-repo.ts';
import { webhookEventTypes, webhookUrlLengthMax } from './webhook-service.ts';

export const webhookPaths = {
  page: '/staff/agency-webhooks',
  endpoint: (id: string): string => `/staff/agency-webhooks/${encodeURIComponent(id)}`,
  endpointPattern: '/staff/agency-webhooks/:endpointId',
  rotate: (id: string): string => `/staff/agency-webhooks/${encodeURIComponent(id)}/rotate`,
  rotatePattern: '/staff/agency-webhooks/:endpointId/rotate',
  disable: (id: string): string => `/staff/agency-webhooks/${encodeURIComponent(id)}/disable`,
  disablePattern: '/staff/agency-webhooks/:endpointId/disable',
  replay: (id: string, deliveryId: string): string =>
    `/staff/agency-webhooks/${encodeURIComponent(id)}/deliveries/${
      encodeURIComponent(deliveryId)}/replay`,
  replayPattern: '/staff/agency-webhooks/:endpointId/deliveries/:deliveryId/replay',
} as const;

export type WebhooksPageInput = Readonly<{
  endpoints: readonly WebhookEndpointRow[];
  csrf: SafeHtml;
  /** Platform-wide roles name the agency of a new endpoint. */
  platformWide: boolean;
  /** A secret just made: shown once. */
  secret?: Readonly<{ endpointId: string; value: string }> | undefined;
  notice?: string | undefined;
  problem?: Readonly<{ messageKey: string; url: string; events: readonly string[];
    agencyId: string }> | undefined;
}>;

function errorSummary(context: PageContext, messageKey: string, anchor: string): SafeHtml {
  const { t } = context;
  return html`<div class="error-summary" role="alert"><h2>${t('agencies.webhooks.problem')}</h2>
<p><a href="#${anchor}">${t(messageKey)}</a></p></div>`;
}

function createForm(context: PageContext, input: WebhooksPageInput): SafeHtml {
  const { t } = context;
  const problem = input.problem;
  const chosen = problem?.events ?? webhookEventTypes;
  return html`<section aria-labelledby="new-endpoint"><h2 id="new-endpoint">${
    t('agencies.webhooks.new')}</h2>
<form method="post" action="${webhookPaths.page}" novalidate>${input.csrf}
${input.platformWide ? html`<div class="field"><label for="agencyId">${
    t('agencies.webhooks.agencyId')}</label><input id="agencyId" name="agencyId" maxlength="36"
 value="${problem?.agencyId ?? ''}"></div>` : html``}
<div class="field${problem === undefined ? '' : ' field-error'}"><label for="url">${
  t('agencies.webhooks.url')}</label><p class="hint" id="url-hint">${
  t('agencies.webhooks.urlHint')}</p>${problem === undefined ? html``
  : html`<p class="error-message" id="url-error">${t(problem.messageKey)}</p>`}
<input id="url" name="url" type="url" maxlength="${String(webhookUrlLengthMax)}"
 aria-describedby="url-hint${problem === undefined ? '' : ' url-error'}"
 value="${problem?.url ?? ''}"></div>
<fieldset><legend>${t('agencies.webhooks.events')}</legend>${webhookEventTypes.map((type) =>
  html`<div class="checkbox"><input type="checkbox" id="event-${type}" name="events"
 value="${type}"${chosen.includes(type) ? html` checked` : html``}><label for="event-${type}">${
  t(`agencies.webhooks.event.${type}`)}</label></div>`)}</fieldset>
<button type="submit">${t('agencies.webhooks.create')}</button></form></section>`;
}

function endpointRow(context: PageContext, input: WebhooksPageInput,
  endpoint: WebhookEndpointRow): SafeHtml {
  const { t, language } = context;
  const active = endpoint.state === 'active';
  return html`<tr><td><a href="${webhookPaths.endpoint(endpoint.id)}">${endpoint.url}</a></td>
<td>${endpoint.events.map((e) => t(`agencies.webhooks.event.${e}`)).join(', ')}</td>
<td>${t(`agencies.webhooks.state.${endpoint.state}`)}</td>
<td>${kenyaDateTime(endpoint.createdAt, language)}</td>
<td>${active ? html`<form method="post" action="${webhookPaths.rotate(endpoint.id)}">${
  input.csrf}<button type="submit">${t('agencies.webhooks.rotate')}</button></form>
<form method="post" action="${webhookPaths.disable(endpoint.id)}">${input.csrf}
<button type="submit">${t('agencies.webhooks.disable')}</button></form>` : html``}</td></tr>`;
}

export function renderWebhooksPage(context: PageContext, input: WebhooksPageInput): string {
  const { t } = context;
  const title = t('agencies.webhooks.title');
  return renderPage(context, {
    title: input.problem === undefined ? title : t('agencies.webhooks.errorTitle', { title }),
    main: html`${input.problem === undefined ? html``
      : errorSummary(context, input.problem.messageKey, 'url')}${input.notice === undefined
      ? html`` : html`<div class="notice" role="status"><p>${t(input.notice)}</p></div>`}
${input.secret === undefined ? html`` : html`<div class="notice" role="status"><p>${
  t('agencies.webhooks.secretOnce')}</p><p><code>${input.secret.value}</code></p></div>`}
<h1>${title}</h1>
<p>${t('agencies.webhooks.intro')}</p>
${input.endpoints.length === 0 ? html`<p>${t('agencies.webhooks.none')}</p>`
    : html`<table><caption>${t('agencies.webhooks.endpoints')}</caption><thead><tr>
<th scope="col">${t('agencies.webhooks.url')}</th><th scope="col">${
  t('agencies.webhooks.events')}</th><th scope="col">${t('agencies.webhooks.state')}</th>
<th scope="col">${t('agencies.webhooks.createdAt')}</th><th scope="col">${
  t('agencies.webhooks.actions')}</th></tr></thead><tbody>${
  input.endpoints.map((e) => endpointRow(context, input, e))}</tbody></table>`}
${createForm(context, input)}`,
  });
}

export type DeliveriesPageInput = Readonly<{
  endpoint: WebhookEndpointRow;
  deliveries: readonly WebhookDeliveryRow[];
  csrf: SafeHtml;
  notice?: string | undefined;
  problem?: string | undefined;
}>;

function deliveryRow(context: PageContext, input: DeliveriesPageInput,
  delivery: WebhookDeliveryRow): SafeHtml {
  const { t, language } = context;
  const when = (value: Date | null): string =>
    value === null ? '' : kenyaDateTime(value, language);
  const canReplay = delivery.state !== 'pending' && input.endpoint.state === 'active';
  return html`<tr><td><code>${delivery.eventId}</code></td>
<td>${t(`agencies.webhooks.event.${delivery.eventType}`)}</td>
<td>${t(`agencies.webhooks.delivery.${delivery.state}`)}</td>
<td>${String(delivery.attempts)}</td>
<td>${delivery.lastStatusCode === null ? delivery.lastError ?? '' : String(
    delivery.lastStatusCode)}</td>
<td>${when(delivery.nextAttemptAt)}</td>
<td>${canReplay ? html`<form method="post" action="${
  webhookPaths.replay(input.endpoint.id, delivery.id)}">${input.csrf}<button type="submit">${
  t('agencies.webhooks.replay')}</button></form>` : html``}</td></tr>`;
}

export function renderDeliveriesPage(context: PageContext, input: DeliveriesPageInput):
string {
  const { t } = context;
  const title = t('agencies.webhooks.logTitle');
  return renderPage(context, {
    title: input.problem === undefined ? title : t('agencies.webhooks.errorTitle', { title }),
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('agencies.webhooks.problem')}</h2><p>${t(input.problem)}</p></div>`}${
  input.notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(input.notice)}</p></div>`}
<h1>${title}</h1>
<p><a href="${webhookPaths.page}">${t('agencies.webhooks.back')}</a></p>
<p>${t('agencies.webhooks.logIntro', { url: input.endpoint.url })}</p>
${input.deliveries.length === 0 ? html`<p>${t('agencies.webhooks.noDeliveries')}</p>`
    : html`<table><caption>${t('agencies.webhooks.deliveries')}</caption><thead><tr>
<th scope="col">${t('agencies.webhooks.eventId')}</th><th scope="col">${
  t('agencies.webhooks.eventType')}</th><th scope="col">${t('agencies.webhooks.status')}</th>
<th scope="col">${t('agencies.webhooks.attempts')}</th><th scope="col">${
  t('agencies.webhooks.lastResponse')}</th><th scope="col">${
  t('agencies.webhooks.nextAttempt')}</th><th scope="col">${
  t('agencies.webhooks.actions')}</th></tr></thead><tbody>${
  input.deliveries.map((d) => deliveryRow(context, input, d))}</tbody></table>`}`,
  });
}
