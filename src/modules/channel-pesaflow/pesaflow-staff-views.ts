/**
 * The Pesaflow clients page (/staff/pesaflow-clients): the agency's clients (apiClientID,
 * name, hash encoding, IPN signature recipe, state), a form registering one (its apiKey and
 * secret shown once, on the answer to the form) and, per live client, disable. JS-off forms.
 */
import { html, kenyaDateTime, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import type { PesaflowClientView } from './pesaflow-clients.ts';
import { hashEncodings, ipnRecipes } from './pesaflow-hash.ts';
import { pesaflowPaths } from './pesaflow-paths.ts';

export type ClientsPageInput = Readonly<{
  agencyId: string | null;
  agencyName: string | null;
  choosesAgency: boolean;
  clients: readonly PesaflowClientView[];
  csrf: SafeHtml;
  created?: Readonly<{ client: PesaflowClientView; apiKey: string; secret: string }> | undefined;
  notice?: string | undefined;
  problem?: string | undefined;
}>;

function agencyField(input: ClientsPageInput): SafeHtml {
  return input.choosesAgency && input.agencyId !== null
    ? html`<input type="hidden" name="agency" value="${input.agencyId}">` : html``;
}

function clientsTable(context: PageContext, input: ClientsPageInput): SafeHtml {
  const { t, language } = context;
  if (input.clients.length === 0) return html`<p>${t('pesaflow.clients.none')}</p>`;
  return html`<table><caption>${t('pesaflow.clients.caption')}</caption><thead><tr>
<th scope="col">${t('pesaflow.clients.name')}</th><th scope="col">apiClientID</th>
<th scope="col">${t('pesaflow.clients.encoding')}</th>
<th scope="col">${t('pesaflow.clients.recipe')}</th>
<th scope="col">${t('pesaflow.clients.created')}</th>
<th scope="col">${t('pesaflow.clients.state')}</th></tr></thead><tbody>${
  input.clients.map((client) => html`<tr><td>${client.name}</td>
<td><code>${client.apiClientId}</code></td>
<td>${t(`pesaflow.clients.encoding.${client.hashEncoding}`)}</td>
<td>${t(`pesaflow.clients.recipe.${client.ipnRecipe}`)}</td>
<td>${kenyaDateTime(client.createdAt, language)}</td>
<td>${client.disabledAt === null ? html`<form method="post" action="${
  pesaflowPaths.disable(client.id)}">${input.csrf}${agencyField(input)}<button type="submit"
 aria-label="${t('pesaflow.clients.disableNamed', { name: client.name })}">${
  t('pesaflow.clients.disable')}</button></form>` : t('pesaflow.clients.disabled')}</td></tr>`)}
</tbody></table>`;
}

function choice(context: PageContext, name: string, values: readonly string[]): SafeHtml {
  const { t } = context;
  return html`<fieldset><legend>${t(`pesaflow.clients.${name}`)}</legend>${values.map(
    (value, index) => html`<div class="choice"><input type="radio" id="${name}-${value}"
 name="${name === 'encoding' ? 'hashEncoding' : 'ipnRecipe'}" value="${value}"${
  index === 0 ? html` checked` : html``}><label for="${name}-${value}">${
  t(`pesaflow.clients.${name}.${value}`)}</label></div>`)}</fieldset>`;
}

function createForm(context: PageContext, input: ClientsPageInput): SafeHtml {
  const { t } = context;
  return html`<h2>${t('pesaflow.clients.createTitle')}</h2>
<form method="post" action="${pesaflowPaths.staff}">${input.csrf}${agencyField(input)}
<div class="field"><label for="name">${t('pesaflow.clients.name')}</label>
<input id="name" name="name" maxlength="80" required></div>
${choice(context, 'encoding', hashEncodings)}${choice(context, 'recipe', ipnRecipes)}
<button type="submit">${t('pesaflow.clients.create')}</button></form>`;
}

function createdNotice(context: PageContext, input: ClientsPageInput): SafeHtml {
  const created = input.created;
  if (created === undefined) return html``;
  const { t } = context;
  return html`<div class="notice" role="status"><h2>${t('pesaflow.clients.createdTitle',
    { name: created.client.name })}</h2><p>${t('pesaflow.clients.shownOnce')}</p><dl>
<dt>apiClientID</dt><dd><code>${created.client.apiClientId}</code></dd>
<dt>apiKey</dt><dd><code>${created.apiKey}</code></dd>
<dt>secret</dt><dd><code>${created.secret}</code></dd></dl></div>`;
}

function chooseAgency(context: PageContext, input: ClientsPageInput): SafeHtml {
  const { t } = context;
  return html`<form method="get" action="${pesaflowPaths.staff}"><div class="field">
<label for="agency">${t('pesaflow.clients.agencyId')}</label>
<input id="agency" name="agency" value="${input.agencyId ?? ''}" maxlength="36"
 autocomplete="off"></div><button type="submit">${t('pesaflow.clients.show')}</button></form>`;
}

export function renderClientsPage(context: PageContext, input: ClientsPageInput): string {
  const { t } = context;
  const title = t('pesaflow.clients.title');
  return renderPage(context, {
    title,
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('pesaflow.clients.problem')}</h2><p>${t(input.problem)}</p></div>`}${
  input.notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(input.notice)}</p></div>`}
${createdNotice(context, input)}
<h1>${title}</h1>
<p>${t('pesaflow.clients.intro')}</p>
${input.choosesAgency ? chooseAgency(context, input) : html``}
${input.agencyId === null ? html`` : html`${input.agencyName === null ? html``
    : html`<p>${t('pesaflow.clients.forAgency', { name: input.agencyName })}</p>`}
${clientsTable(context, input)}${createForm(context, input)}`}`,
  });
}
