/**
 * The agency integration page (/staff/agency-integration): the agency's API keys (prefix,
 * name, created, last used, revoked), a form to create one (its secret shown once, on the
 * answer to the form, never again), and per live key: rotate (a new key, the old one revoked
 * now or after an overlap) and revoke. Works with JavaScript off; copy from the locale files.
 */
import {
  html,
  kenyaDateTime,
  renderPage,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import type { ApiKeyView } from './api-keys-service.ts';

export const apiKeysPaths = {
  page: '/staff/agency-integration',
  create: '/staff/agency-integration/keys',
  revokePattern: '/staff/agency-integration/keys/:keyId/revoke',
  rotatePattern: '/staff/agency-integration/keys/:keyId/rotate',
  revoke: (keyId: string): string =>
    `/staff/agency-integration/keys/${encodeURIComponent(keyId)}/revoke`,
  rotate: (keyId: string): string =>
    `/staff/agency-integration/keys/${encodeURIComponent(keyId)}/rotate`,
} as const;

/** How long the old key keeps working after a rotation, in hours (0: revoked now). */
export const overlapChoices = [0, 24, 168] as const;

export type KeysPageInput = Readonly<{
  /** Null: a platform administrator who has not chosen an agency yet. */
  agencyId: string | null;
  agencyName: string | null;
  /** Platform administrators choose the agency; agency administrators have theirs. */
  choosesAgency: boolean;
  keys: readonly ApiKeyView[];
  csrf: SafeHtml;
  now: Date;
  /** A key just created: the whole secret, shown this once. */
  created?: Readonly<{ name: string; secret: string }> | undefined;
  notice?: string | undefined;
  /** The message key of a problem with the last form. */
  problem?: string | undefined;
}>;

function agencyField(input: KeysPageInput): SafeHtml {
  return input.choosesAgency && input.agencyId !== null
    ? html`<input type="hidden" name="agency" value="${input.agencyId}">` : html``;
}

function keyState(context: PageContext, key: ApiKeyView, now: Date): string {
  const { t, language } = context;
  if (key.revokedAt === null) return t('agencies.keys.live');
  const when = kenyaDateTime(key.revokedAt, language);
  return key.revokedAt <= now ? t('agencies.keys.revokedAt', { when })
    : t('agencies.keys.revokesAt', { when });
}

function keyActions(context: PageContext, input: KeysPageInput, key: ApiKeyView): SafeHtml {
  const { t } = context;
  if (key.revokedAt !== null && key.revokedAt <= input.now) return html``;
  const field = `overlap-${key.id}`;
  return html`<form method="post" action="${apiKeysPaths.rotate(key.id)}">${input.csrf}${
    agencyField(input)}<label for="${field}">${t('agencies.keys.overlap')}</label>
<select id="${field}" name="overlapHours">${overlapChoices.map((hours) =>
  html`<option value="${String(hours)}">${t(`agencies.keys.overlap.${String(hours)}`)}</option>`)}
</select> <button type="submit">${t('agencies.keys.rotate')}</button></form>
<form method="post" action="${apiKeysPaths.revoke(key.id)}">${input.csrf}${agencyField(input)}
<button type="submit">${t('agencies.keys.revoke')}</button></form>`;
}

function keysTable(context: PageContext, input: KeysPageInput): SafeHtml {
  const { t, language } = context;
  if (input.keys.length === 0) return html`<p>${t('agencies.keys.none')}</p>`;
  return html`<table><caption>${t('agencies.keys.caption')}</caption><thead><tr>
<th scope="col">${t('agencies.keys.name')}</th><th scope="col">${t('agencies.keys.prefix')}</th>
<th scope="col">${t('agencies.keys.created')}</th>
<th scope="col">${t('agencies.keys.lastUsed')}</th>
<th scope="col">${t('agencies.keys.state')}</th>
<th scope="col">${t('agencies.keys.actions')}</th></tr></thead><tbody>${
  input.keys.map((key) => html`<tr><td>${key.name}</td><td><code>hk_${key.prefix}_</code></td>
<td>${kenyaDateTime(key.createdAt, language)}</td>
<td>${key.lastUsedAt === null ? t('agencies.keys.never')
    : kenyaDateTime(key.lastUsedAt, language)}</td>
<td>${keyState(context, key, input.now)}</td><td>${keyActions(context, input, key)}</td></tr>`)}
</tbody></table>`;
}

function chooseAgency(context: PageContext, input: KeysPageInput): SafeHtml {
  const { t } = context;
  return html`<form method="get" action="${apiKeysPaths.page}"><div class="field">
<label for="agency">${t('agencies.keys.agencyId')}</label>
<input id="agency" name="agency" value="${input.agencyId ?? ''}" maxlength="36"
 autocomplete="off"></div><button type="submit">${t('agencies.keys.show')}</button></form>`;
}

function createForm(context: PageContext, input: KeysPageInput): SafeHtml {
  const { t } = context;
  return html`<h2>${t('agencies.keys.createTitle')}</h2>
<form method="post" action="${apiKeysPaths.create}">${input.csrf}${agencyField(input)}
<div class="field"><label for="name">${t('agencies.keys.name')}</label>
<p class="hint" id="name-hint">${t('agencies.keys.nameHint')}</p>
<input id="name" name="name" maxlength="80" required aria-describedby="name-hint"></div>
<button type="submit">${t('agencies.keys.create')}</button></form>`;
}

function createdNotice(context: PageContext, input: KeysPageInput): SafeHtml {
  const created = input.created;
  if (created === undefined) return html``;
  const { t } = context;
  return html`<div class="notice" role="status"><h2>${t('agencies.keys.createdTitle',
    { name: created.name })}</h2><p>${t('agencies.keys.shownOnce')}</p>
<p><code>${created.secret}</code></p></div>`;
}

export function renderKeysPage(context: PageContext, input: KeysPageInput): string {
  const { t } = context;
  const title = t('agencies.keys.title');
  return renderPage(context, {
    title,
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('agencies.keys.problem')}</h2><p>${t(input.problem)}</p></div>`}${
  input.notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(input.notice)}</p></div>`}
${createdNotice(context, input)}
<h1>${title}</h1>
<p>${t('agencies.keys.intro')}</p>
${input.choosesAgency ? chooseAgency(context, input) : html``}
${input.agencyId === null ? html`` : html`${input.agencyName === null ? html``
    : html`<p>${t('agencies.keys.forAgency', { name: input.agencyName })}</p>`}
${keysTable(context, input)}${createForm(context, input)}`}`,
  });
}
