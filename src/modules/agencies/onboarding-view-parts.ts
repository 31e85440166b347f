/**
 * Small pieces the onboarding pages share: where each page is, the form state a page is drawn
 * with (values as typed, the message key of each wrong field), labelled fields with their hint
 * and error tied by aria-describedby, the error summary and notices. All copy from locales.
 */
import { html, type PageContext, type SafeHtml } from '#web/index.ts';

const base = '/staff/agencies';
const enc = encodeURIComponent;

export const onboardingPaths = {
  agencies: base,
  agencyPattern: `${base}/:agencyId`,
  agency: (agencyId: string): string => `${base}/${enc(agencyId)}`,
  newServicePattern: `${base}/:agencyId/services/new`,
  newService: (agencyId: string): string => `${base}/${enc(agencyId)}/services/new`,
  servicesPattern: `${base}/:agencyId/services`,
  services: (agencyId: string): string => `${base}/${enc(agencyId)}/services`,
  servicePattern: `${base}/:agencyId/services/:serviceId`,
  service: (agencyId: string, serviceId: string): string =>
    `${base}/${enc(agencyId)}/services/${enc(serviceId)}`,
  livePattern: `${base}/:agencyId/services/:serviceId/live`,
  live: (agencyId: string, serviceId: string): string =>
    `${base}/${enc(agencyId)}/services/${enc(serviceId)}/live`,
  feeChangesPattern: `${base}/:agencyId/services/:serviceId/fee-changes`,
  feeChanges: (agencyId: string, serviceId: string): string =>
    `${base}/${enc(agencyId)}/services/${enc(serviceId)}/fee-changes`,
  approvePattern: `${base}/:agencyId/fee-changes/:changeId/approve`,
  approve: (agencyId: string, changeId: string): string =>
    `${base}/${enc(agencyId)}/fee-changes/${enc(changeId)}/approve`,
  rejectPattern: `${base}/:agencyId/fee-changes/:changeId/reject`,
  reject: (agencyId: string, changeId: string): string =>
    `${base}/${enc(agencyId)}/fee-changes/${enc(changeId)}/reject`,
  /** The staff header's "Services and fees": one's own agency, or the list of agencies. */
  myServices: '/staff/agency-services',
} as const;

/** A form as drawn: what was typed, and the locale key of the message of each wrong field. */
export type FormView = Readonly<{
  values: Readonly<Record<string, string | readonly string[]>>;
  errors: Readonly<Record<string, string>>;
  /** A problem with the whole form: a locale key, and any detail to show as typed. */
  problem?: Readonly<{ messageKey: string; detail?: string | undefined }> | undefined;
}>;

export const blankForm: FormView = { values: {}, errors: {} };

export function valueOf(form: FormView, name: string): string {
  const value = form.values[name];
  return typeof value === 'string' ? value : '';
}

type FieldOptions = Readonly<{
  name: string;
  labelKey: string;
  hintKey?: string;
  type?: 'text' | 'email' | 'tel' | 'date' | 'number';
  maxLength?: number;
  /** Draw a textarea of this many rows. */
  rows?: number;
  autocomplete?: string;
}>;

/** A labelled input or textarea with its hint and error message. */
export function field(context: PageContext, form: FormView, options: FieldOptions): SafeHtml {
  const { t } = context;
  const { name } = options;
  const error = form.errors[name];
  const described = [options.hintKey === undefined ? '' : `${name}-hint`,
    error === undefined ? '' : `${name}-error`].filter((id) => id !== '').join(' ');
  const describedBy = described === '' ? html`` : html` aria-describedby="${described}"`;
  const invalid = error === undefined ? html`` : html` aria-invalid="true"`;
  const max = options.maxLength === undefined ? html``
    : html` maxlength="${String(options.maxLength)}"`;
  const control = options.rows === undefined
    ? html`<input id="${name}" name="${name}" type="${options.type ?? 'text'}"${max}${
      describedBy}${invalid}${options.autocomplete === undefined ? html``
      : html` autocomplete="${options.autocomplete}"`} value="${valueOf(form, name)}">`
    : html`<textarea id="${name}" name="${name}" rows="${String(options.rows)}"${max}${
      describedBy}${invalid}>${valueOf(form, name)}</textarea>`;
  return html`<div class="field${error === undefined ? '' : ' field-error'}">
<label for="${name}">${t(options.labelKey)}</label>${options.hintKey === undefined ? html``
    : html`<p class="hint" id="${name}-hint">${t(options.hintKey)}</p>`}${error === undefined
    ? html`` : html`<p class="error-message" id="${name}-error">${t(error)}</p>`}
${control}</div>`;
}

/** A labelled select of choices (value, label), with an optional empty first choice. */
export function selectField(context: PageContext, form: FormView, options: Readonly<{
  name: string; labelKey: string; hintKey?: string;
  choices: readonly Readonly<{ value: string; label: string }>[]; emptyKey?: string;
}>): SafeHtml {
  const { t } = context;
  const { name } = options;
  const error = form.errors[name];
  const chosen = valueOf(form, name);
  const described = [options.hintKey === undefined ? '' : `${name}-hint`,
    error === undefined ? '' : `${name}-error`].filter((id) => id !== '').join(' ');
  return html`<div class="field${error === undefined ? '' : ' field-error'}">
<label for="${name}">${t(options.labelKey)}</label>${options.hintKey === undefined ? html``
    : html`<p class="hint" id="${name}-hint">${t(options.hintKey)}</p>`}${error === undefined
    ? html`` : html`<p class="error-message" id="${name}-error">${t(error)}</p>`}
<select id="${name}" name="${name}"${described === '' ? html``
    : html` aria-describedby="${described}"`}>${options.emptyKey === undefined ? html``
    : html`<option value="">${t(options.emptyKey)}</option>`}${options.choices.map((choice) =>
  html`<option value="${choice.value}"${choice.value === chosen ? html` selected` : html``}>${
    choice.label}</option>`)}</select></div>`;
}

/** The error summary: the form's problem and a link to each wrong field. */
export function errorSummary(context: PageContext, form: FormView): SafeHtml {
  const { t } = context;
  const wrong = Object.entries(form.errors);
  if (wrong.length === 0 && form.problem === undefined) return html``;
  return html`<div class="error-summary" role="alert"><h2>${t('agencies.onboarding.problem')}</h2>
${form.problem === undefined ? html`` : html`<p>${t(form.problem.messageKey)}</p>${
  form.problem.detail === undefined ? html`` : html`<p><code>${form.problem.detail}</code></p>`}`}
${wrong.length === 0 ? html`` : html`<ul>${wrong.map(([name, key]) =>
    html`<li><a href="#${name}">${t(key)}</a></li>`)}</ul>`}</div>`;
}

export function noticeOf(context: PageContext, key: string | undefined): SafeHtml {
  return key === undefined ? html``
    : html`<div class="notice" role="status"><p>${context.t(key)}</p></div>`;
}

/** The page's title, "Error: ..." while its form has problems. */
export function titleOf(context: PageContext, title: string, form: FormView): string {
  const wrong = Object.keys(form.errors).length > 0 || form.problem !== undefined;
  return wrong ? context.t('agencies.onboarding.errorTitle', { title }) : title;
}

/** A name in the page's language: Swahili when there is one and the page is in Swahili. */
export function nameIn(context: PageContext, names: Readonly<{ nameEn: string;
  nameSw: string | null }>): string {
  return context.language === 'sw' && names.nameSw !== null && names.nameSw !== ''
    ? names.nameSw : names.nameEn;
}
