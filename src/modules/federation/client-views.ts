/**
 * The staff page of Sign in with Huduma clients (/staff/federation/clients), for platform
 * administrators: every registered client (agency, redirect addresses, scopes, state), a form
 * to register one for an agency (its secret shown once, on the answer to the form), and per
 * live client: rotate the secret, revoke. Works with JavaScript off.
 */
import { html, kenyaDateTime, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import type { ClientView } from './client-service.ts';
import { federationPaths } from './federation-paths.ts';

export type ClientsPageInput = Readonly<{
  clients: readonly (ClientView & Readonly<{ agencyName: string }>)[];
  csrf: SafeHtml;
  /** A client just registered or rotated: its id and whole secret, shown this once. */
  shown?: Readonly<{ clientId: string; secret: string }> | undefined;
  notice?: string | undefined;
  /** The message key of a problem with the last form. */
  problem?: string | undefined;
  /** What the register form held, given back after a problem. */
  form?: Readonly<Record<string, string>> | undefined;
}>;

/** Scopes a platform administrator may allow a client (openid is always allowed). */
export const choosableScopes = ['profile', 'phone', 'id_number', 'offline_access'] as const;

function clientActions(context: PageContext, input: ClientsPageInput,
  client: ClientView): SafeHtml {
  const { t } = context;
  if (client.revokedAt !== null) return html``;
  return html`<form method="post" action="${federationPaths.rotate(client.clientId)}">${
    input.csrf}<button type="submit">${t('federation.clients.rotate')}</button></form>
<form method="post" action="${federationPaths.revoke(client.clientId)}">${input.csrf}
<button type="submit" class="secondary">${t('federation.clients.revoke')}</button></form>`;
}

function clientsTable(context: PageContext, input: ClientsPageInput): SafeHtml {
  const { t, language } = context;
  if (input.clients.length === 0) return html`<p>${t('federation.clients.none')}</p>`;
  return html`<table><caption>${t('federation.clients.caption')}</caption><thead><tr>
<th scope="col">${t('federation.clients.name')}</th>
<th scope="col">${t('federation.clients.agency')}</th>
<th scope="col">${t('federation.clients.clientId')}</th>
<th scope="col">${t('federation.clients.redirectUris')}</th>
<th scope="col">${t('federation.clients.scopes')}</th>
<th scope="col">${t('federation.clients.state')}</th>
<th scope="col">${t('federation.clients.actions')}</th></tr></thead><tbody>${
  input.clients.map((client) => html`<tr><td>${client.name}</td><td>${client.agencyName}</td>
<td><code>${client.clientId}</code></td>
<td>${client.redirectUris.map((uri) => html`<code>${uri}</code> `)}</td>
<td>${client.scopes.join(' ')}</td>
<td>${client.revokedAt === null ? t('federation.clients.live')
    : t('federation.clients.revokedAt', { when: kenyaDateTime(client.revokedAt, language) })}</td>
<td>${clientActions(context, input, client)}</td></tr>`)}</tbody></table>`;
}

function field(id: string, label: string, hint: string, value: string, extra: SafeHtml)
  : SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${hint}</p>
<textarea id="${id}" name="${id}" rows="2" aria-describedby="${id}-hint"${extra}>${
  value}</textarea></div>`;
}

function registerForm(context: PageContext, input: ClientsPageInput): SafeHtml {
  const { t } = context;
  const form = input.form ?? {};
  return html`<h2>${t('federation.clients.registerTitle')}</h2>
<form method="post" action="${federationPaths.clients}">${input.csrf}
<div class="field"><label for="agency">${t('federation.clients.agencyId')}</label>
<input id="agency" name="agency" maxlength="36" required autocomplete="off"
 value="${form.agency ?? ''}"></div>
<div class="field"><label for="name">${t('federation.clients.name')}</label>
<input id="name" name="name" maxlength="80" required autocomplete="off"
 value="${form.name ?? ''}"></div>
${field('redirectUris', t('federation.clients.redirectUris'), t('federation.clients.uriHint'),
    form.redirectUris ?? '', html` required`)}
${field('postLogoutRedirectUris', t('federation.clients.postLogoutUris'),
    t('federation.clients.uriHint'), form.postLogoutRedirectUris ?? '', html``)}
<fieldset><legend>${t('federation.clients.scopes')}</legend>${choosableScopes.map((scope) =>
  html`<div class="checkbox"><input type="checkbox" id="scope-${scope}" name="scopes"
 value="${scope}"><label for="scope-${scope}">${t(`federation.scope.${scope}`)}</label></div>`)}
</fieldset>
<button type="submit">${t('federation.clients.register')}</button></form>`;
}

function shownSecret(context: PageContext, input: ClientsPageInput): SafeHtml {
  const shown = input.shown;
  if (shown === undefined) return html``;
  const { t } = context;
  return html`<div class="notice" role="status"><h2>${t('federation.clients.shownTitle')}</h2>
<p>${t('federation.clients.shownOnce')}</p><dl class="summary">
<dt>${t('federation.clients.clientId')}</dt><dd><code>${shown.clientId}</code></dd>
<dt>${t('federation.clients.secret')}</dt><dd><code>${shown.secret}</code></dd></dl></div>`;
}

export function renderClientsPage(context: PageContext, input: ClientsPageInput): string {
  const { t } = context;
  const title = t('federation.clients.title');
  return renderPage(context, {
    title,
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('federation.clients.problem')}</h2><p>${t(input.problem)}</p></div>`}${
  input.notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(input.notice)}</p></div>`}
${shownSecret(context, input)}
<h1>${title}</h1>
<p>${t('federation.clients.intro')}</p>
${clientsTable(context, input)}${registerForm(context, input)}`,
  });
}
