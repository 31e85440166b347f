/** Staff pages: sign-in (password + authenticator code), home, staff lists, account lookup. */
import type { StaffRole } from '#modules/authorisation/index.ts';
import { html, renderPage, summaryList, type SafeHtml, type Translate } from '#web/index.ts';
import type { View } from './account-views.ts';
import {
  documentTypeRadios,
  errorSummary,
  input,
  postForm,
  radios,
  submitButton,
  titleWithErrors,
  type FormState,
} from './form-views.ts';
import { identityPaths } from './identity-paths.ts';
import type { AccountDetails } from './personal-data-service.ts';
import type { Enrolment } from './staff-enrolment-service.ts';
import type { AppointedStaff } from './staff-service.ts';
import type { AgencyChoice, StaffSummary } from './staff-repo.ts';
import { formatDate, formatDateTime } from './view-format.ts';

function page(view: View, title: string, form: FormState, main: SafeHtml): string {
  return renderPage(view.context, {
    title: titleWithErrors(view.context.t, title, form),
    main: html`${errorSummary(view.context.t, form)}${main}`,
  });
}

export function staffSignInPage(
  view: View,
  form: FormState,
  returnTo: string,
  notice?: string,
): string {
  const { t } = view.context;
  const action = returnTo === identityPaths.staffHome ? identityPaths.staffSignIn
    : `${identityPaths.staffSignIn}?${new URLSearchParams({ return: returnTo }).toString()}`;
  const fields = html`${input(t, form, { name: 'email', label: t('identity.field.workEmail'),
    type: 'email', autocomplete: 'username', spellcheck: false, maxLength: 254 })}
${input(t, form, { name: 'password', label: t('identity.field.password'), type: 'password',
    autocomplete: 'current-password', keepValue: false })}
${input(t, form, { name: 'totpCode', label: t('identity.field.totpCode'),
    hint: t('identity.field.totpCodeHint'), inputmode: 'numeric', autocomplete: 'one-time-code',
    keepValue: false, maxLength: 8 })}
${submitButton(t('identity.signIn.submit'))}`;
  return page(view, t('identity.staffSignIn.title'), form, html`${notice === undefined ? ''
    : html`<div class="notice" role="status"><p>${t(notice)}</p></div>`}<h1>${
    t('identity.staffSignIn.title')}</h1>
${postForm(view.request, action, fields)}
<p><a href="${identityPaths.signIn}">${t('identity.staffSignIn.public')}</a></p>`);
}

export type StaffLinks = Readonly<{ people: boolean; accounts: boolean }>;

export function staffHomePage(
  view: View,
  me: StaffSummary,
  links: StaffLinks,
  panels: readonly SafeHtml[] = [],
): string {
  const { t } = view.context;
  const items = [
    links.people ? html`<li><a href="${identityPaths.staffPeople}">${
      t('identity.staff.peopleLink')}</a></li>` : html``,
    links.accounts ? html`<li><a href="${identityPaths.accountLookup}">${
      t('identity.staff.lookupLink')}</a></li>` : html``,
  ];
  return renderPage(view.context, {
    title: t('identity.staff.homeTitle'),
    main: html`<h1>${t('identity.staff.homeTitle')}</h1>
${summaryList([
    [t('identity.staff.name'), me.displayName],
    [t('identity.staff.role'), t(`identity.role.${me.role}`)],
    [t('identity.staff.agency'), me.agencyName ?? t('identity.staff.allAgencies')],
  ])}
<ul class="links">${items}</ul>
${panels.length === 0 ? '' : html`<div class="sections">${panels.map((panel) =>
    html`<section>${panel}</section>`)}</div>`}`,
  });
}

function roleChoices(t: Translate, roles: readonly StaffRole[]) {
  return roles.map((role) => ({ value: role, label: t(`identity.role.${role}`) }));
}

export function staffListPage(
  view: View,
  people: readonly StaffSummary[],
  options: Readonly<{ canAppoint: boolean; notice?: string | undefined }>,
): string {
  const { t } = view.context;
  const rows = people.map((person) => html`<tr>
<td><a href="${identityPaths.staffPerson(person.id)}">${person.displayName}</a></td>
<td>${t(`identity.role.${person.role}`)}</td>
<td>${person.agencyName ?? t('identity.staff.allAgencies')}</td>
<td>${t(`identity.staff.status.${person.status}`)}</td></tr>`);
  return renderPage(view.context, {
    title: t('identity.staff.peopleTitle'),
    main: html`${options.notice === undefined ? ''
      : html`<div class="notice" role="status"><p>${t(options.notice)}</p></div>`}<h1>${
      t('identity.staff.peopleTitle')}</h1>
${options.canAppoint ? html`<p><a class="button" href="${identityPaths.staffNew}">${
    t('identity.staff.appoint')}</a></p>` : ''}
<table><caption class="visually-hidden">${t('identity.staff.peopleTitle')}</caption>
<thead><tr><th scope="col">${t('identity.staff.name')}</th><th scope="col">${
  t('identity.staff.role')}</th><th scope="col">${t('identity.staff.agency')}</th>
<th scope="col">${t('identity.staff.statusHeading')}</th></tr></thead>
<tbody>${rows}</tbody></table>
<p><a href="${identityPaths.staffHome}">${t('identity.staff.backHome')}</a></p>`,
  });
}

export function staffPersonPage(
  view: View,
  person: StaffSummary,
  options: Readonly<{ grantable: readonly StaffRole[]; form: FormState }>,
): string {
  const { t, language } = view.context;
  const form: FormState = { ...options.form, values: { role: person.role,
    ...options.form.values } };
  const change = options.grantable.length === 0 ? html``
    : html`<h2>${t('identity.staff.changeRole')}</h2>${postForm(view.request,
      identityPaths.staffRole(person.id), html`${radios(t, form, { name: 'role',
        legend: t('identity.staff.newRole'), choices: roleChoices(t, options.grantable) })}${
        submitButton(t('identity.staff.changeRoleSubmit'))}`)}
${statusForm(view, person)}`;
  return page(view, person.displayName, form, html`<h1>${person.displayName}</h1>
${summaryList([
    [t('identity.staff.email'), person.email],
    [t('identity.staff.role'), t(`identity.role.${person.role}`)],
    [t('identity.staff.agency'), person.agencyName ?? t('identity.staff.allAgencies')],
    [t('identity.staff.statusHeading'), t(`identity.staff.status.${person.status}`)],
    [t('identity.staff.since'), formatDateTime(person.createdAt, language)],
  ])}
${change}
<p><a href="${identityPaths.staffPeople}">${t('identity.staff.backToPeople')}</a></p>`);
}

/** Deactivate an active member of staff, or reactivate a deactivated one: one button. */
function statusForm(view: View, person: StaffSummary): SafeHtml {
  const { t } = view.context;
  const deactivate = person.status === 'active';
  return html`<h2>${t('identity.staff.access')}</h2>
<p>${t(deactivate ? 'identity.staff.deactivateHint' : 'identity.staff.reactivateHint')}</p>
${postForm(view.request, identityPaths.staffStatus(person.id), html`<input type="hidden"
  name="status" value="${deactivate ? 'deactivated' : 'active'}">
${submitButton(t(deactivate ? 'identity.staff.deactivateSubmit'
    : 'identity.staff.reactivateSubmit'))}`)}`;
}

export function newStaffPage(
  view: View,
  form: FormState,
  options: Readonly<{ grantable: readonly StaffRole[]; agencies: readonly AgencyChoice[] | null }>,
): string {
  const { t } = view.context;
  const selected = form.values.agencyId ?? '';
  const agencyField = options.agencies === null ? html`` : html`<div class="field">
<label for="agencyId">${t('identity.staff.agency')}</label>
<p class="hint" id="agencyId-hint">${t('identity.staff.agencyHint')}</p>
${form.errors.agencyId === undefined ? '' : html`<p class="error-message" id="agencyId-error">${
  t(form.errors.agencyId)}</p>`}
<select id="agencyId" name="agencyId" aria-describedby="agencyId-hint${
  form.errors.agencyId === undefined ? '' : ' agencyId-error'}">
<option value="">${t('identity.staff.noAgency')}</option>
${options.agencies.map((agency) => html`<option value="${agency.id}"${
    agency.id === selected ? ' selected' : ''}>${agency.name}</option>`)}
</select></div>`;
  const fields = html`${input(t, form, { name: 'displayName', label: t('identity.staff.name'),
    autocomplete: 'off', maxLength: 120 })}
${input(t, form, { name: 'email', label: t('identity.field.workEmail'), type: 'email',
    autocomplete: 'off', spellcheck: false, maxLength: 254 })}
${radios(t, form, { name: 'role', legend: t('identity.staff.role'),
    choices: roleChoices(t, options.grantable) })}
${agencyField}
${submitButton(t('identity.staff.appointSubmit'))}`;
  return page(view, t('identity.staff.appoint'), form, html`<h1>${t('identity.staff.appoint')}</h1>
${postForm(view.request, identityPaths.staffPeople, fields)}
<p><a href="${identityPaths.staffPeople}">${t('identity.staff.backToPeople')}</a></p>`);
}

/** Right after an appointment: the one-time link to hand to the person. */
export function staffAppointedPage(view: View, appointed: AppointedStaff): string {
  const { t, language } = view.context;
  return renderPage(view.context, {
    title: t('identity.staff.createdTitle'),
    main: html`<h1>${t('identity.staff.createdTitle')}</h1>
<div class="notice" role="status"><p>${t('identity.staff.enrolmentWarning', {
    until: formatDateTime(appointed.expiresAt, language) })}</p></div>
${summaryList([
    [t('identity.staff.email'), appointed.email],
    [t('identity.staff.enrolmentLink'), html`<code class="wrap">${appointed.enrolmentUrl}</code>`],
  ])}
<p><a href="${identityPaths.staffPerson(appointed.staffId)}">${
  t('identity.staff.viewCreated')}</a></p>`,
  });
}

/** The enrolment page: the new authenticator secret, a password and a first code. */
export function enrolmentPage(
  view: View,
  form: FormState,
  options: Readonly<{ action: string; enrolment: Enrolment }>,
): string {
  const { t } = view.context;
  const fields = html`${input(t, form, { name: 'password', label: t('identity.field.newPassword'),
    hint: t('identity.field.newPasswordHint'), type: 'password', autocomplete: 'new-password',
    keepValue: false })}
${input(t, form, { name: 'totpCode', label: t('identity.field.totpCode'),
    hint: t('identity.enrol.codeHint'), inputmode: 'numeric', autocomplete: 'one-time-code',
    keepValue: false, maxLength: 8 })}
${submitButton(t('identity.enrol.submit'))}`;
  return page(view, t('identity.enrol.title'), form, html`<h1>${t('identity.enrol.title')}</h1>
<p>${t('identity.enrol.lede', { name: options.enrolment.displayName })}</p>
<h2>${t('identity.enrol.appHeading')}</h2>
<p>${t('identity.enrol.appSteps')}</p>
${summaryList([
    [t('identity.staff.email'), options.enrolment.email],
    [t('identity.staff.totpSecret'), html`<code>${options.enrolment.totpSecret}</code>`],
    [t('identity.staff.totpUri'), html`<code class="wrap">${options.enrolment.otpauthUri}</code>`],
  ])}
<h2>${t('identity.enrol.passwordHeading')}</h2>
${postForm(view.request, options.action, fields)}`);
}

export function accountLookupPage(
  view: View,
  form: FormState,
  found: AccountDetails | undefined,
): string {
  const { t, language } = view.context;
  const result = found === undefined ? html`` : html`<h2>${t('identity.lookup.result')}</h2>
${summaryList([
    [t('identity.profile.name'), found.businessName ??
      [found.firstName, found.middleName, found.lastName].filter((p) => p !== null).join(' ')],
    [t('identity.profile.document'), `${t(`identity.document.${found.documentType}`)} ${
      found.documentNumber}`],
    [t('identity.profile.birthDate'), found.birthDate === null ? ''
      : formatDate(new Date(`${found.birthDate}T00:00:00Z`), language)],
    [t('identity.profile.phone'), found.phone ?? t('identity.profile.none')],
    [t('identity.profile.email'), found.email ?? t('identity.profile.none')],
  ])}`;
  const fields = html`${documentTypeRadios(t, form)}
${input(t, form, { name: 'documentNumber', label: t('identity.field.documentNumber'),
    autocomplete: 'off', spellcheck: false, maxLength: 20 })}
${submitButton(t('identity.lookup.submit'))}`;
  return page(view, t('identity.lookup.title'), form, html`<h1>${t('identity.lookup.title')}</h1>
<p>${t('identity.lookup.lede')}</p>
<form method="get" action="${identityPaths.accountLookup}">${fields}</form>
${result}
<p><a href="${identityPaths.staffHome}">${t('identity.staff.backHome')}</a></p>`);
}
