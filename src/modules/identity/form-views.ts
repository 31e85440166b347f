/**
 * Accessible form pieces for identity's pages (GOV.UK patterns): an error summary linking to
 * each field, labels, hints and inline errors tied to inputs by aria-describedby, radios in a
 * fieldset with a legend. Error texts are message keys, translated here.
 */
import { csrfField } from '#modules/authorisation/index.ts';
import { html, type SafeHtml, type Translate } from '#web/index.ts';

export type FormState = Readonly<{
  values: Readonly<Record<string, string>>;
  /** field -> message key. */
  errors: Readonly<Record<string, string>>;
  /** A message key for a problem with the whole form (shown in the summary). */
  problem?: string | undefined;
  problemParams?: Readonly<Record<string, string | number>> | undefined;
}>;

export const emptyForm: FormState = { values: {}, errors: {} };

export function titleWithErrors(t: Translate, title: string, form: FormState): string {
  const hasErrors = form.problem !== undefined || Object.keys(form.errors).length > 0;
  return hasErrors ? `${t('identity.form.errorPrefix')} ${title}` : title;
}

export function errorSummary(t: Translate, form: FormState): SafeHtml {
  const fields = Object.entries(form.errors);
  if (form.problem === undefined && fields.length === 0) return html``;
  const problem = form.problem === undefined ? html``
    : html`<li>${t(form.problem, form.problemParams)}</li>`;
  return html`<div class="error-summary" role="alert" tabindex="-1"
 aria-labelledby="error-summary-title"><h2 id="error-summary-title">${
  t('identity.form.errorSummary')}</h2><ul>${problem}${fields.map(([field, key]) =>
  html`<li><a href="#${field}">${t(key)}</a></li>`)}</ul></div>`;
}

export type InputOptions = Readonly<{
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'password' | 'tel' | 'email';
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'tel' | 'email';
  /** Passwords and codes are never sent back to the page. */
  keepValue?: boolean;
  spellcheck?: boolean;
  maxLength?: number;
}>;

export function input(t: Translate, form: FormState, options: InputOptions): SafeHtml {
  const id = options.name;
  const error = form.errors[id];
  const describedBy = [
    options.hint === undefined ? undefined : `${id}-hint`,
    error === undefined ? undefined : `${id}-error`,
  ].filter((part) => part !== undefined).join(' ');
  const value = options.keepValue === false ? '' : form.values[id] ?? '';
  return html`<div class="field${error === undefined ? '' : ' field-error'}">
<label for="${id}">${options.label}</label>
${options.hint === undefined ? '' : html`<p class="hint" id="${id}-hint">${options.hint}</p>`}
${error === undefined ? '' : html`<p class="error-message" id="${id}-error"><span
 class="visually-hidden">${t('identity.form.errorPrefix')}</span> ${t(error)}</p>`}
<input id="${id}" name="${id}" type="${options.type ?? 'text'}" value="${value}"${
  describedBy === '' ? '' : html` aria-describedby="${describedBy}"`}${
  options.autocomplete === undefined ? '' : html` autocomplete="${options.autocomplete}"`}${
  options.inputmode === undefined ? '' : html` inputmode="${options.inputmode}"`}${
  options.spellcheck === false ? html` spellcheck="false"` : ''}${
  error === undefined ? '' : html` aria-invalid="true"`} maxlength="${options.maxLength ?? 200}">
</div>`;
}

export type RadioOptions = Readonly<{
  name: string;
  legend: string;
  hint?: string;
  choices: readonly Readonly<{ value: string; label: string }>[];
}>;

export function radios(t: Translate, form: FormState, options: RadioOptions): SafeHtml {
  const error = form.errors[options.name];
  const selected = form.values[options.name];
  const describedBy = [
    options.hint === undefined ? undefined : `${options.name}-hint`,
    error === undefined ? undefined : `${options.name}-error`,
  ].filter((part) => part !== undefined).join(' ');
  return html`<div class="field${error === undefined ? '' : ' field-error'}">
<fieldset${describedBy === '' ? '' : html` aria-describedby="${describedBy}"`}>
<legend>${options.legend}</legend>
${options.hint === undefined ? '' : html`<p class="hint" id="${options.name}-hint">${
  options.hint}</p>`}
${error === undefined ? '' : html`<p class="error-message" id="${options.name}-error"><span
 class="visually-hidden">${t('identity.form.errorPrefix')}</span> ${t(error)}</p>`}
${options.choices.map((choice, index) => {
  const id = index === 0 ? options.name : `${options.name}-${choice.value}`;
  return html`<div class="radio"><input type="radio" id="${id}" name="${options.name}"
 value="${choice.value}"${selected === choice.value ? ' checked' : ''}><label for="${id}">${
  choice.label}</label></div>`;
})}
</fieldset>
</div>`;
}

/** A form that posts with its CSRF token. */
export function postForm(
  request: Readonly<{ csrfToken: () => string }>,
  action: string,
  content: SafeHtml,
  options: Readonly<{ className?: string }> = {},
): SafeHtml {
  return html`<form method="post" action="${action}" novalidate${
    options.className === undefined ? '' : html` class="${options.className}"`}>
${csrfField(request)}
${content}
</form>`;
}

export function submitButton(label: string, options: Readonly<{ secondary?: boolean }> = {}):
SafeHtml {
  return html`<button type="submit"${options.secondary === true ? html` class="button secondary"`
    : ''}>${label}</button>`;
}

/** The document type radios of sign-in, registration and reset. */
export function documentTypeRadios(t: Translate, form: FormState): SafeHtml {
  return radios(t, form, {
    name: 'documentType',
    legend: t('identity.field.documentType'),
    choices: [
      { value: 'national_id', label: t('identity.document.national_id') },
      { value: 'alien_id', label: t('identity.document.alien_id') },
      { value: 'passport', label: t('identity.document.passport') },
    ],
  });
}
