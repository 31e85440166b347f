/** The account holder's pages: profile, contact change, and acting for someone else. */
import type { AuditRecord } from '#modules/audit/index.ts';
import { html, renderPage, summaryList, type SafeHtml, type Translate } from '#web/index.ts';
import type { RepresentedAccount } from './account-repo.ts';
import type { View } from './account-views.ts';
import {
  errorSummary,
  input,
  postForm,
  radios,
  submitButton,
  titleWithErrors,
  type FormState,
} from './form-views.ts';
import { identityPaths } from './identity-paths.ts';
import type { Profile } from './profile-service.ts';
import { formatDate, formatDateTime, fullName } from './view-format.ts';

export type ProfileExtras = Readonly<{
  currentSessionId: string;
  actingFor: string | null;
  agencyNames: ReadonlyMap<string, string>;
  notice?: string | undefined;
  /** What other modules show here (applications, bills), already rendered, in order. */
  sections?: readonly SafeHtml[];
}>;

function registerDetails(t: Translate, profile: Profile, language: 'en' | 'sw'): SafeHtml {
  const account = profile.account;
  return html`<h2>${t('identity.profile.registerHeading')}</h2>
<p class="hint">${t('identity.profile.registerHint')}</p>
${summaryList([
    [t('identity.profile.name'), fullName(account)],
    [t('identity.profile.document'), `${t(`identity.document.${account.document_type}`)} ${
      account.document_number}`],
    [t('identity.profile.birthDate'),
      account.birth_date === null ? '' : formatDate(account.birth_date, language)],
  ])}`;
}

function contactDetails(t: Translate, profile: Profile): SafeHtml {
  const account = profile.account;
  return html`<h2>${t('identity.profile.contactHeading')}</h2>
${summaryList([
    [t('identity.profile.phone'), account.phone ?? t('identity.profile.none')],
    [t('identity.profile.email'), account.email ?? t('identity.profile.none')],
    [t('identity.profile.codesBy'), t(`identity.channel.${account.code_channel}`)],
  ])}
<p><a href="${identityPaths.contactChange}">${t('identity.profile.changeContact')}</a></p>`;
}

function sessionsTable(view: View, profile: Profile, currentSessionId: string): SafeHtml {
  const { t, language } = view.context;
  const rows = profile.sessions.map((session) => html`<tr>
<td>${session.device_label === '' ? t('identity.profile.unknownDevice') : session.device_label}</td>
<td>${formatDateTime(session.created_at, language)}</td>
<td>${formatDateTime(session.last_seen_at, language)}</td>
<td>${session.id === currentSessionId ? t('identity.profile.thisDevice')
    : postForm(view.request, identityPaths.endSession(session.id),
      html`<button type="submit" class="button secondary">${t('identity.profile.endSession')}<span
 class="visually-hidden"> ${session.device_label}</span></button>`)}</td>
</tr>`);
  return html`<h2>${t('identity.profile.sessionsHeading')}</h2>
<table><caption class="visually-hidden">${t('identity.profile.sessionsHeading')}</caption>
<thead><tr><th scope="col">${t('identity.profile.device')}</th><th scope="col">${
  t('identity.profile.signedInAt')}</th><th scope="col">${t('identity.profile.lastActive')}</th>
<th scope="col"><span class="visually-hidden">${t('identity.profile.actions')}</span></th></tr>
</thead><tbody>${rows}</tbody></table>`;
}

function readsList(
  view: View,
  reads: readonly AuditRecord[],
  agencies: ReadonlyMap<string, string>,
): SafeHtml {
  const { t, language } = view.context;
  const items = reads.map((read) => {
    const role = read.actor.role === null ? t('identity.profile.someone')
      : t(`identity.role.${read.actor.role}`);
    const agency = read.agencyId === null ? '' : agencies.get(read.agencyId) ?? '';
    return html`<li>${t('identity.profile.readBy', {
      when: formatDateTime(read.occurredAt, language), who: role,
    })}${agency === '' ? '' : html` (${agency})`}</li>`;
  });
  return html`<h2>${t('identity.profile.readsHeading')}</h2>
<p class="hint">${t('identity.profile.readsHint')}</p>
${reads.length === 0 ? html`<p>${t('identity.profile.noReads')}</p>`
    : html`<ul class="reads">${items}</ul>`}`;
}

/** Other modules' sections first: a person comes for their applications and bills. */
function accountSections(sections: readonly SafeHtml[]): SafeHtml {
  if (sections.length === 0) return html``;
  return html`<div class="sections">${sections.map((section) =>
    html`<section>${section}</section>`)}</div>`;
}

export function profilePage(view: View, profile: Profile, extras: ProfileExtras): string {
  const { t, language } = view.context;
  const acting = extras.actingFor === null ? html`` : html`<div class="notice" role="status">
<p>${t('identity.profile.actingFor', { name: extras.actingFor })}</p>
${postForm(view.request, identityPaths.actFor, html`<input type="hidden" name="accountId"
 value="self">${submitButton(t('identity.actFor.backToSelf'), { secondary: true })}`)}</div>`;
  const notice = extras.notice === undefined ? html``
    : html`<div class="notice" role="status"><p>${t(extras.notice)}</p></div>`;
  return renderPage(view.context, {
    title: t('identity.profile.title'),
    main: html`${notice}${acting}<h1>${t('identity.profile.title')}</h1>
${accountSections(extras.sections ?? [])}
${registerDetails(t, profile, language)}
${contactDetails(t, profile)}
<h2>${t('identity.profile.actForHeading')}</h2>
<p><a href="${identityPaths.actFor}">${t('identity.profile.actForLink')}</a></p>
${sessionsTable(view, profile, extras.currentSessionId)}
${readsList(view, profile.personalDataReads, extras.agencyNames)}`,
  });
}

export function contactChangePage(view: View, form: FormState): string {
  const { t } = view.context;
  const fields = html`${radios(t, form, { name: 'kind', legend: t('identity.contact.kind'),
    choices: [
      { value: 'phone', label: t('identity.contact.phone') },
      { value: 'email', label: t('identity.contact.email') },
    ] })}
${input(t, form, { name: 'value', label: t('identity.contact.value'),
    hint: t('identity.contact.valueHint'), autocomplete: 'off', spellcheck: false,
    maxLength: 254 })}
${input(t, form, { name: 'password', label: t('identity.contact.password'),
    hint: t('identity.contact.passwordHint'), type: 'password',
    autocomplete: 'current-password', keepValue: false })}
${submitButton(t('identity.contact.submit'))}`;
  return renderPage(view.context, {
    title: titleWithErrors(t, t('identity.contact.title'), form),
    main: html`${errorSummary(t, form)}<h1>${t('identity.contact.title')}</h1>
<p>${t('identity.contact.lede')}</p>
${postForm(view.request, identityPaths.contactChange, fields)}
<p><a href="${identityPaths.account}">${t('identity.backToAccount')}</a></p>`,
  });
}

export function actForPage(
  view: View,
  options: Readonly<{ represented: readonly RepresentedAccount[]; registerAnswered: boolean;
    current: string | null; form: FormState }>,
): string {
  const { t } = view.context;
  const choices = [{ value: 'self', label: t('identity.actFor.self') },
    ...options.represented.map((entry) => ({
      value: entry.account.id,
      label: `${fullName(entry.account)} (${t(`identity.actFor.${entry.relationship}`)})`,
    }))];
  const form: FormState = {
    ...options.form, values: { accountId: options.current ?? 'self', ...options.form.values },
  };
  const stale = options.registerAnswered ? html``
    : html`<div class="notice" role="status"><p>${t('identity.actFor.registerDown')}</p></div>`;
  const body = options.represented.length === 0 ? html`<p>${t('identity.actFor.nobody')}</p>`
    : postForm(view.request, identityPaths.actFor, html`${radios(t, form, {
      name: 'accountId', legend: t('identity.actFor.legend'), choices,
    })}${submitButton(t('identity.actFor.submit'))}`);
  return renderPage(view.context, {
    title: titleWithErrors(t, t('identity.actFor.title'), form),
    main: html`${errorSummary(t, form)}${stale}<h1>${t('identity.actFor.title')}</h1>
<p>${t('identity.actFor.lede')}</p>
${body}
<p><a href="${identityPaths.account}">${t('identity.backToAccount')}</a></p>`,
  });
}
