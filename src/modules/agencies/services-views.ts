/**
 * The onboarding pages for a service: the form to create or edit one (names, descriptions,
 * requirements one a line, SLA, delivery, who may apply, the application form as JSON), its
 * status with the go-live button while in the sandbox, its fee versions, the form to propose a
 * fee change, and the fee changes with approve and reject for a second person. Works with
 * JavaScript off; all copy from the locale files.
 */
import type { StaffFeeVersion, StaffService } from '#modules/catalogue/index.ts';
import { format, money } from '#platform/money/index.ts';
import { html, kenyaDateTime, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import type { FeeChange } from './fee-change-repo.ts';
import { accountTypes, deliveryModes } from './onboarding-rules.ts';
import {
  errorSummary,
  field,
  nameIn,
  noticeOf,
  onboardingPaths,
  selectField,
  titleOf,
  valueOf,
  type FormView,
} from './onboarding-view-parts.ts';

/** The service's stored details as the edit form's values. */
export function serviceFormValues(service: StaffService): FormView['values'] {
  return {
    nameEn: service.nameEn, nameSw: service.nameSw, descriptionEn: service.descriptionEn,
    descriptionSw: service.descriptionSw, requirementsEn: service.requirementsEn.join('\n'),
    requirementsSw: service.requirementsSw.join('\n'), slaDays: String(service.slaDays),
    deliveryMode: service.deliveryMode, eligibleAccountTypes: service.eligibleAccountTypes,
    formSchema: service.formSchema === null ? ''
      : JSON.stringify(service.formSchema, undefined, 2),
  };
}

function accountTypeBoxes(context: PageContext, form: FormView): SafeHtml {
  const { t } = context;
  const raw = form.values.eligibleAccountTypes;
  const chosen = typeof raw === 'string' ? [raw] : raw ?? [];
  const error = form.errors.eligibleAccountTypes;
  return html`<div class="field${error === undefined ? '' : ' field-error'}"><fieldset${
    error === undefined ? html`` : html` aria-describedby="eligibleAccountTypes-error"`}>
<legend>${t('agencies.onboarding.eligibleAccountTypes')}</legend>${error === undefined ? html``
    : html`<p class="error-message" id="eligibleAccountTypes-error">${t(error)}</p>`}${
  accountTypes.map((type, index) => html`<div class="checkbox"><input type="checkbox"
 id="${index === 0 ? 'eligibleAccountTypes' : `eligibleAccountTypes-${type}`}"
 name="eligibleAccountTypes" value="${type}"${chosen.includes(type) ? html` checked` : html``}>
<label for="${index === 0 ? 'eligibleAccountTypes' : `eligibleAccountTypes-${type}`}">${
  t(`agencies.onboarding.accountType.${type}`)}</label></div>`)}</fieldset></div>`;
}

/** The service form's fields (create and edit post the same). */
function serviceFields(context: PageContext, form: FormView): SafeHtml {
  const text = (name: string, maxLength: number, rows?: number, hint?: string) =>
    field(context, form, { name, labelKey: `agencies.onboarding.${name}`, maxLength,
      ...(rows === undefined ? {} : { rows }), ...(hint === undefined ? {} : { hintKey: hint }) });
  return html`${text('nameEn', 200)}${text('nameSw', 200)}
${text('descriptionEn', 2000, 3)}${text('descriptionSw', 2000, 3)}
${text('requirementsEn', 6000, 4, 'agencies.onboarding.requirementsHint')}
${text('requirementsSw', 6000, 4, 'agencies.onboarding.requirementsHint')}
${field(context, form, { name: 'slaDays', labelKey: 'agencies.onboarding.slaDays',
    hintKey: 'agencies.onboarding.slaDaysHint', maxLength: 4 })}
${selectField(context, form, { name: 'deliveryMode', labelKey: 'agencies.onboarding.deliveryMode',
    choices: deliveryModes.map((mode) => ({ value: mode,
      label: context.t(`agencies.onboarding.delivery.${mode}`) })) })}
${accountTypeBoxes(context, form)}
${text('formSchema', 100_000, 12, 'agencies.onboarding.formSchemaHint')}`;
}

export type NewServicePageInput = Readonly<{
  agencyId: string;
  agencyName: string;
  form: FormView;
  csrf: SafeHtml;
}>;

export function renderNewServicePage(context: PageContext, input: NewServicePageInput): string {
  const { t } = context;
  const title = t('agencies.onboarding.newService', { agency: input.agencyName });
  return renderPage(context, {
    title: titleOf(context, title, input.form),
    main: html`${errorSummary(context, input.form)}<p><a href="${
      onboardingPaths.agency(input.agencyId)}">${t('agencies.onboarding.backToAgency')}</a></p>
<h1>${title}</h1><p>${t('agencies.onboarding.sandboxIntro')}</p>
<form method="post" action="${onboardingPaths.services(input.agencyId)}" novalidate>${input.csrf}
${serviceFields(context, input.form)}
<button type="submit">${t('agencies.onboarding.createService')}</button></form>`,
  });
}

export type FeeChangesTableInput = Readonly<{
  agencyId: string;
  changes: readonly FeeChange[];
  viewerStaffId: string;
  csrf: SafeHtml;
  showService: boolean;
}>;

function decisionForms(context: PageContext, input: FeeChangesTableInput, change: FeeChange):
SafeHtml {
  const { t } = context;
  if (change.status !== 'pending') {
    return html`${t(`agencies.onboarding.change.${change.status}`)}${
      change.rejectionReason === null ? html`` : html`: ${change.rejectionReason}`}`;
  }
  if (change.proposedByStaffId === input.viewerStaffId) {
    return html`${t('agencies.onboarding.change.waitingForOther')}`;
  }
  const reasonId = `reason-${change.id}`;
  return html`<form method="post" action="${onboardingPaths.approve(input.agencyId, change.id)}">${
    input.csrf}<button type="submit">${t('agencies.onboarding.approve')}</button></form>
<form method="post" action="${onboardingPaths.reject(input.agencyId, change.id)}">${input.csrf}
<label for="${reasonId}">${t('agencies.onboarding.reason')}</label>
<input id="${reasonId}" name="reason" type="text" maxlength="500">
<button type="submit">${t('agencies.onboarding.reject')}</button></form>`;
}

/** Fee changes with approve/reject for whoever did not propose them. */
export function feeChangesTable(context: PageContext, input: FeeChangesTableInput): SafeHtml {
  const { t, language } = context;
  if (input.changes.length === 0) return html`<p>${t('agencies.onboarding.noChanges')}</p>`;
  return html`<table><caption>${t('agencies.onboarding.changesCaption')}</caption><thead><tr>${
    input.showService ? html`<th scope="col">${t('agencies.onboarding.service')}</th>` : html``}
<th scope="col">${t('agencies.onboarding.amount')}</th>
<th scope="col">${t('agencies.onboarding.effectiveFrom')}</th>
<th scope="col">${t('agencies.onboarding.gazetteReference')}</th>
<th scope="col">${t('agencies.onboarding.proposedBy')}</th>
<th scope="col">${t('agencies.onboarding.status')}</th></tr></thead><tbody>${
  input.changes.map((change) => html`<tr>${input.showService ? html`<td><a href="${
    onboardingPaths.service(input.agencyId, change.serviceId)}">${change.serviceName}</a></td>`
    : html``}<td>${format(money(change.amountMinor, change.currency), language)}</td>
<td>${change.effectiveFrom}</td><td>${change.gazetteReference}</td>
<td>${change.proposedByName}, ${kenyaDateTime(change.proposedAt, language)}</td>
<td>${decisionForms(context, input, change)}</td></tr>`)}</tbody></table>`;
}

function versionsTable(context: PageContext, versions: readonly StaffFeeVersion[]): SafeHtml {
  const { t, language } = context;
  if (versions.length === 0) return html`<p>${t('agencies.onboarding.noFee')}</p>`;
  return html`<table><caption>${t('agencies.onboarding.versionsCaption')}</caption><thead><tr>
<th scope="col">${t('agencies.onboarding.version')}</th>
<th scope="col">${t('agencies.onboarding.amount')}</th>
<th scope="col">${t('agencies.onboarding.effectiveFrom')}</th>
<th scope="col">${t('agencies.onboarding.effectiveTo')}</th>
<th scope="col">${t('agencies.onboarding.gazetteReference')}</th></tr></thead><tbody>${
  versions.map((v) => html`<tr><td>${String(v.version)}</td><td>${
    format(money(v.amountMinor, v.currency), language)}</td><td>${v.effectiveFrom}</td>
<td>${v.effectiveTo ?? ''}</td><td>${v.gazetteReference ?? ''}</td></tr>`)}</tbody></table>`;
}

function feeChangeForm(context: PageContext, input: ServicePageInput): SafeHtml {
  const { t } = context;
  const form = input.feeForm;
  return html`<section aria-labelledby="propose"><h3 id="propose">${
    t('agencies.onboarding.proposeTitle')}</h3><p>${t('agencies.onboarding.proposeIntro')}</p>
${errorSummary(context, form)}
<form method="post" action="${onboardingPaths.feeChanges(input.agencyId, input.service.id)}"
 novalidate>${input.csrf}
${selectField(context, { ...form, values: { currency: valueOf(form, 'currency') || 'KES',
    ...form.values } }, { name: 'currency', labelKey: 'agencies.onboarding.currency',
  choices: [{ value: 'KES', label: 'KES' }, { value: 'USD', label: 'USD' }] })}
${field(context, form, { name: 'amount', labelKey: 'agencies.onboarding.amount',
    hintKey: 'agencies.onboarding.amountHint', maxLength: 24 })}
${field(context, form, { name: 'gazetteReference',
    labelKey: 'agencies.onboarding.gazetteReference', maxLength: 200 })}
${field(context, form, { name: 'effectiveFrom', labelKey: 'agencies.onboarding.effectiveFrom',
    hintKey: 'agencies.onboarding.effectiveFromHint', type: 'date', maxLength: 10 })}
<button type="submit">${t('agencies.onboarding.propose')}</button></form></section>`;
}

export type ServicePageInput = Readonly<{
  agencyId: string;
  service: StaffService;
  versions: readonly StaffFeeVersion[];
  changes: readonly FeeChange[];
  viewerStaffId: string;
  form: FormView;
  feeForm: FormView;
  csrf: SafeHtml;
  notice?: string | undefined;
}>;

export function renderServicePage(context: PageContext, input: ServicePageInput): string {
  const { t } = context;
  const { service } = input;
  const name = nameIn(context, service);
  return renderPage(context, {
    title: titleOf(context, name, input.form),
    main: html`${noticeOf(context, input.notice)}${errorSummary(context, input.form)}<p><a href="${
      onboardingPaths.agency(input.agencyId)}">${t('agencies.onboarding.backToAgency')}</a></p>
<h1>${name}</h1>
<p>${t('agencies.onboarding.statusIs', {
    status: t(`agencies.onboarding.status.${service.onboardingStatus}`) })}</p>
${service.onboardingStatus === 'sandbox' ? html`<p>${t('agencies.onboarding.liveRule')}</p>
<form method="post" action="${onboardingPaths.live(input.agencyId, service.id)}">${input.csrf}
<button type="submit">${t('agencies.onboarding.goLive')}</button></form>` : html``}
<h2>${t('agencies.onboarding.fees')}</h2>
${versionsTable(context, input.versions)}
${feeChangesTable(context, { agencyId: input.agencyId, changes: input.changes,
    viewerStaffId: input.viewerStaffId, csrf: input.csrf, showService: false })}
${feeChangeForm(context, input)}
<h2>${t('agencies.onboarding.details')}</h2>
<form method="post" action="${onboardingPaths.service(input.agencyId, service.id)}" novalidate>${
  input.csrf}${serviceFields(context, input.form)}
<button type="submit">${t('agencies.onboarding.save')}</button></form>`,
  });
}
