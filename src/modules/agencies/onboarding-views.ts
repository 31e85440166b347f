/**
 * The onboarding pages for agencies: the list of agencies with the new-agency form (platform
 * administrators), and an agency's page (its names, ministry, contacts and settlement account,
 * a link to appoint its administrator or officers, its services and the fee changes waiting
 * for a second person). Works with JavaScript off; all copy from the locale files.
 */
import type { AgencySummary, Choice, StaffService } from '#modules/catalogue/index.ts';
import { identityPaths } from '#modules/identity/index.ts';
import { html, pagination, renderPage, summaryList, type PageContext, type SafeHtml }
  from '#web/index.ts';
import type { FeeChange } from './fee-change-repo.ts';
import type { AgencyDetail } from './onboarding-service.ts';
import {
  errorSummary,
  field,
  nameIn,
  noticeOf,
  onboardingPaths,
  selectField,
  titleOf,
  type FormView,
} from './onboarding-view-parts.ts';
import { feeChangesTable } from './services-views.ts';

export type AgenciesPageInput = Readonly<{
  agencies: readonly AgencySummary[];
  total: number;
  page: number;
  pageSize: number;
  ministries: readonly Choice[];
  departments: readonly Choice[];
  form: FormView;
  csrf: SafeHtml;
}>;

function agencyForm(context: PageContext, input: AgenciesPageInput): SafeHtml {
  const { t } = context;
  const { form } = input;
  const text = (name: string, maxLength: number, extra: Partial<Parameters<typeof field>[2]> =
  {}) => field(context, form, { name, labelKey: `agencies.onboarding.${name}`, maxLength,
    ...extra });
  return html`<section aria-labelledby="new-agency"><h2 id="new-agency">${
    t('agencies.onboarding.newAgency')}</h2>
<form method="post" action="${onboardingPaths.agencies}" novalidate>${input.csrf}
${text('nameEn', 200)}${text('nameSw', 200)}
${selectField(context, form, { name: 'ministryId', labelKey: 'agencies.onboarding.ministryId',
    emptyKey: 'agencies.onboarding.choose',
    choices: input.ministries.map((m) => ({ value: m.id, label: m.name })) })}
${selectField(context, form, { name: 'departmentId',
    labelKey: 'agencies.onboarding.departmentId', hintKey: 'agencies.onboarding.departmentHint',
    emptyKey: 'agencies.onboarding.noDepartment',
    choices: input.departments.map((d) => ({ value: d.id, label: d.name })) })}
<fieldset><legend>${t('agencies.onboarding.contact')}</legend>
${text('contactName', 120, { autocomplete: 'off' })}
${text('contactEmail', 254, { type: 'email', autocomplete: 'off' })}
${text('contactPhone', 20, { type: 'tel', hintKey: 'agencies.onboarding.contactPhoneHint',
    autocomplete: 'off' })}</fieldset>
<fieldset><legend>${t('agencies.onboarding.bank')}</legend>
<p class="hint">${t('agencies.onboarding.bankHint')}</p>
${text('bankName', 100)}${text('bankCode', 11, { hintKey: 'agencies.onboarding.bankCodeHint' })}
${text('branch', 100)}${text('accountNumber', 40)}${text('accountName', 140)}</fieldset>
<button type="submit">${t('agencies.onboarding.create')}</button></form></section>`;
}

function agenciesTable(context: PageContext, input: AgenciesPageInput): SafeHtml {
  const { t } = context;
  if (input.agencies.length === 0) return html`<p>${t('agencies.onboarding.noAgencies')}</p>`;
  return html`<table><caption>${t('agencies.onboarding.agenciesCaption',
    { total: String(input.total) })}</caption><thead><tr>
<th scope="col">${t('agencies.onboarding.name')}</th>
<th scope="col">${t('agencies.onboarding.ministryId')}</th>
<th scope="col">${t('agencies.onboarding.services')}</th>
<th scope="col">${t('agencies.onboarding.origin')}</th></tr></thead><tbody>${
  input.agencies.map((agency) => html`<tr><td><a href="${onboardingPaths.agency(agency.id)}">${
    nameIn(context, agency)}</a></td><td>${nameIn(context, agency.ministry)}</td>
<td>${String(agency.serviceCount)}</td><td>${t(`agencies.onboarding.origin.${agency.origin}`)}</td>
</tr>`)}</tbody></table>${pagination(context.t, { page: input.page, total: input.total,
    pageSize: input.pageSize,
    hrefFor: (page: number) => `${onboardingPaths.agencies}?page=${String(page)}` })}`;
}

export function renderAgenciesPage(context: PageContext, input: AgenciesPageInput): string {
  const { t } = context;
  return renderPage(context, {
    title: titleOf(context, t('agencies.onboarding.title'), input.form),
    main: html`${errorSummary(context, input.form)}<h1>${t('agencies.onboarding.title')}</h1>
<p>${t('agencies.onboarding.intro')}</p>
${agenciesTable(context, input)}
${agencyForm(context, input)}`,
  });
}

export type AgencyPageInput = Readonly<{
  detail: AgencyDetail;
  services: readonly StaffService[];
  pendingChanges: readonly FeeChange[];
  /** Platform administrators appoint the agency's administrator; agency ones its officers. */
  appoint: 'agency-admin' | 'agency-officer' | undefined;
  viewerStaffId: string;
  csrf: SafeHtml;
  notice?: string | undefined;
}>;

function accountRows(context: PageContext, detail: AgencyDetail): SafeHtml {
  const { t } = context;
  const account = detail.settlementAccount;
  if (account === undefined) return html`<p>${t('agencies.onboarding.noAccount')}</p>`;
  return summaryList([
    [t('agencies.onboarding.bankName'), account.bankName],
    [t('agencies.onboarding.bankCode'), account.bankCode],
    [t('agencies.onboarding.branch'), account.branch],
    [t('agencies.onboarding.accountNumber'), account.accountNumber],
    [t('agencies.onboarding.accountName'), account.accountName],
  ]);
}

function servicesTable(context: PageContext, input: AgencyPageInput): SafeHtml {
  const { t } = context;
  const agencyId = input.detail.agency.id;
  return html`<h2>${t('agencies.onboarding.services')}</h2>
<p><a href="${onboardingPaths.newService(agencyId)}">${t('agencies.onboarding.addService')}</a></p>
${input.services.length === 0 ? html`<p>${t('agencies.onboarding.noServices')}</p>`
    : html`<table><caption>${t('agencies.onboarding.servicesCaption')}</caption><thead><tr>
<th scope="col">${t('agencies.onboarding.name')}</th>
<th scope="col">${t('agencies.onboarding.status')}</th></tr></thead><tbody>${
  input.services.map((service) => html`<tr><td><a href="${onboardingPaths.service(agencyId,
    service.id)}">${nameIn(context, service)}</a></td><td>${
    t(`agencies.onboarding.status.${service.onboardingStatus}`)}</td></tr>`)}</tbody></table>`}`;
}

export function renderAgencyPage(context: PageContext, input: AgencyPageInput): string {
  const { t } = context;
  const { agency, contacts } = input.detail;
  const name = nameIn(context, agency);
  const appointHref = input.appoint === undefined ? undefined
    : `${identityPaths.staffNew}?${new URLSearchParams({ agencyId: agency.id,
      role: input.appoint }).toString()}`;
  return renderPage(context, {
    title: name,
    main: html`${noticeOf(context, input.notice)}<h1>${name}</h1>
${summaryList([
    [t('agencies.onboarding.nameEn'), agency.nameEn],
    [t('agencies.onboarding.nameSw'), agency.nameSw ?? ''],
    [t('agencies.onboarding.ministryId'), nameIn(context, agency.ministry)],
    [t('agencies.onboarding.departmentId'), agency.department === null ? ''
      : nameIn(context, agency.department)],
    [t('agencies.onboarding.slug'), agency.slug],
  ])}
${appointHref === undefined ? html`` : html`<p><a href="${appointHref}">${
    t(`agencies.onboarding.appoint.${input.appoint ?? 'agency-admin'}`)}</a></p>`}
<h2>${t('agencies.onboarding.contact')}</h2>
${contacts.length === 0 ? html`<p>${t('agencies.onboarding.noContacts')}</p>`
    : contacts.map((contact) => summaryList([[t('agencies.onboarding.contactName'),
      contact.name], [t('agencies.onboarding.contactEmail'), contact.email],
    [t('agencies.onboarding.contactPhone'), contact.phone]]))}
<h2>${t('agencies.onboarding.bank')}</h2>
${accountRows(context, input.detail)}
${servicesTable(context, input)}
<h2>${t('agencies.onboarding.pendingChanges')}</h2>
${feeChangesTable(context, { agencyId: agency.id, changes: input.pendingChanges,
    viewerStaffId: input.viewerStaffId, csrf: input.csrf, showService: true })}`,
  });
}
