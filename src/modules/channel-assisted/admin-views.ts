/**
 * The platform administrator's pages: the agent register (list, add an agent) and the agent-fee
 * caps (the table in force, publish a cap). JS off; CSRF on every form.
 */
import { html, kenyaDateTime, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import type { AgentView } from './agent-register-service.ts';
import { assistedPaths } from './assisted-paths.ts';
import { agentKinds } from './assisted-tables.ts';
import type { PublishedCap } from './fee-cap-service.ts';
import { feeCapsTable } from './list-views.ts';
import { noticeBox, problemBox } from './view-parts.ts';

type Common = Readonly<{ csrf: SafeHtml; code?: string | undefined; notice?: string | undefined;
  form?: Readonly<Record<string, string>> }>;

function field(context: PageContext, name: string, value: string | undefined,
  extra: Readonly<{ hint?: boolean; maxlength: number }>): SafeHtml {
  const { t } = context;
  const hintId = `${name}-hint`;
  return html`<div class="field"><label for="${name}">${t(`assisted.admin.${name}`)}</label>${
    extra.hint === true ? html`<p class="hint" id="${hintId}">${
      t(`assisted.admin.${name}Hint`)}</p>` : html``}
<input id="${name}" name="${name}" maxlength="${String(extra.maxlength)}" autocomplete="off"${
  extra.hint === true ? html` aria-describedby="${hintId}"` : html``} value="${value ?? ''}">
</div>`;
}

function agentsTable(context: PageContext, agents: readonly AgentView[]): SafeHtml {
  const { t, language } = context;
  if (agents.length === 0) return html`<p>${t('assisted.admin.noAgents')}</p>`;
  return html`<table><caption>${t('assisted.admin.agentsCaption')}</caption><thead><tr>
<th scope="col">${t('assisted.admin.agentNumber')}</th>
<th scope="col">${t('assisted.admin.businessName')}</th>
<th scope="col">${t('assisted.admin.kind')}</th><th scope="col">${t('assisted.admin.location')}</th>
<th scope="col">${t('assisted.admin.registered')}</th></tr></thead><tbody>${agents.map((agent) =>
  html`<tr><td>${agent.agentNumber}</td><td>${agent.businessName}</td>
<td>${t(`assisted.kind.${agent.kind}`)}</td><td>${agent.location}</td>
<td>${kenyaDateTime(agent.registeredAt, language)}</td></tr>`)}</tbody></table>`;
}

export function renderRegisterPage(context: PageContext,
  input: Common & Readonly<{ agents: readonly AgentView[] }>): string {
  const { t } = context;
  const title = t('assisted.admin.registerTitle');
  const form = input.form ?? {};
  return renderPage(context, { title, main: html`${problemBox(context, input.code)}${
    noticeBox(context, input.notice)}<h1>${title}</h1><p>${t('assisted.admin.registerIntro')}</p>
${agentsTable(context, input.agents)}<h2>${t('assisted.admin.addAgent')}</h2>
<form method="post" action="${assistedPaths.register}">${input.csrf}
${field(context, 'email', form['email'], { hint: true, maxlength: 254 })}
${field(context, 'agentNumber', form['agentNumber'], { hint: true, maxlength: 20 })}
${field(context, 'businessName', form['businessName'], { maxlength: 120 })}
<div class="field"><label for="kind">${t('assisted.admin.kind')}</label>
<select id="kind" name="kind">${agentKinds.map((kind) => html`<option value="${kind}"${
  form['kind'] === kind ? html` selected` : html``}>${t(`assisted.kind.${kind}`)}</option>`)}
</select></div>
${field(context, 'location', form['location'], { maxlength: 120 })}
<button type="submit">${t('assisted.admin.register')}</button></form>
<p><a href="${assistedPaths.feeCaps}">${t('assisted.admin.capsTitle')}</a></p>` });
}

export function renderFeeCapsPage(context: PageContext,
  input: Common & Readonly<{ caps: readonly PublishedCap[]; today: string }>): string {
  const { t } = context;
  const title = t('assisted.admin.capsTitle');
  const form = input.form ?? {};
  return renderPage(context, { title, main: html`${problemBox(context, input.code)}${
    noticeBox(context, input.notice)}<h1>${title}</h1><p>${t('assisted.admin.capsIntro')}</p>
${feeCapsTable(context, input.caps)}<h2>${t('assisted.admin.publishCap')}</h2>
<form method="post" action="${assistedPaths.feeCaps}">${input.csrf}
${field(context, 'service', form['service'], { hint: true, maxlength: 200 })}
${field(context, 'amount', form['amount'], { hint: true, maxlength: 12 })}
${field(context, 'effectiveFrom', form['effectiveFrom'] ?? input.today,
    { hint: true, maxlength: 10 })}
<button type="submit">${t('assisted.admin.publish')}</button></form>
<p><a href="${assistedPaths.feeTable}">${t('assisted.feeTable.link')}</a></p>` });
}
