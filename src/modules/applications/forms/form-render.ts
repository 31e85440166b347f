/**
 * A page of a form, the check-your-answers page and the read-only answers officers see.
 * The form posts to `action` with its CSRF field, and is multipart only when it has a file.
 */
import { html, type PageContext, type SafeHtml } from '#web/index.ts';
import { bytesText } from './form-checks.ts';
import { renderField } from './form-fields.ts';
import { findPage, isFieldShown, isItemFieldShown, visiblePages } from './form-logic.ts';
import {
  addressParts,
  isAnswerObject,
  isStoredFileRef,
  type AnswerValue,
  type Answers,
  type FieldError,
  type FormDefinition,
  type FormField,
  type FormPage,
} from './form-types.ts';
import { errorSummary, plainText, textHtml } from './form-text.ts';

export type FormPageInput = Readonly<{
  def: FormDefinition;
  pageId: string;
  answers: Answers;
  errors: readonly FieldError[];
  action: string;
  csrf: SafeHtml;
  backHref?: string | undefined;
  submitLabelKey?: string | undefined;
  /** A line above the page's title, e.g. the service's name. */
  caption?: string | undefined;
}>;

function hasFile(page: FormPage): boolean {
  return page.fields.some((field) => field.kind === 'file' ||
    (field.fields ?? []).some((inner) => inner.kind === 'file'));
}

function answerOf(answers: Answers, id: string): AnswerValue | undefined {
  return Object.hasOwn(answers, id) ? answers[id] : undefined;
}

/** The page's <title>: its heading, with "Error:" in front when the page has errors. */
export function formPageTitle(context: PageContext, def: FormDefinition, pageId: string,
  errors: readonly FieldError[]): string {
  const page = findPage(def, pageId);
  const title = page === undefined ? '' : plainText(context, page.title);
  return errors.length === 0 ? title : `${context.t('forms.errorPrefix')} ${title}`;
}

export function renderFormPage(context: PageContext, input: FormPageInput): SafeHtml {
  const page = findPage(input.def, input.pageId);
  if (page === undefined) throw new Error(`form has no page ${input.pageId}`);
  const state = { context, def: input.def, errors: input.errors };
  return html`${input.backHref === undefined ? '' : html`<a class="back-link" href="${
    input.backHref}">${context.t('forms.back')}</a>`}
${errorSummary(context, input.def, input.errors)}
<h1>${input.caption === undefined ? '' : html`<span class="caption">${input.caption}</span> `}${
  textHtml(context, page.title)}</h1>
<form method="post" action="${input.action}" novalidate class="application-form"${
  hasFile(page) ? html` enctype="multipart/form-data"` : ''}>
${input.csrf}
${page.fields.map((field) => renderField(state, field, field.id,
    answerOf(input.answers, field.id)))}
<button type="submit">${context.t(input.submitLabelKey ?? 'forms.continue')}</button>
</form>`;
}

function formatDate(context: PageContext, iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(context.language === 'sw' ? 'sw-KE' : 'en-KE',
    { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

type FileHref = ((fileId: string) => string) | undefined;

function lines(parts: readonly (SafeHtml | string)[]): SafeHtml {
  return html`${parts.map((part, index) => html`${index === 0 ? '' : html`<br>`}${part}`)}`;
}

/** An answer as read-only text: option labels, Yes/No, a date in words, a file's name. */
function answerHtml(context: PageContext, field: FormField, value: AnswerValue,
  fileHref: FileHref): SafeHtml {
  if (field.kind === 'yes-no' && typeof value === 'boolean') {
    return html`${context.t(value ? 'forms.yes' : 'forms.no')}`;
  }
  if (field.kind === 'choice') {
    const chosen = (Array.isArray(value) ? value : [value]).map((item) => {
      const option = field.options?.find((candidate) => candidate.value === item);
      if (option !== undefined) return textHtml(context, option.label);
      // A value the options no longer have (a draft of an older form): shown as it is.
      return typeof item === 'string' ? item : JSON.stringify(item);
    });
    return lines(chosen);
  }
  if (field.kind === 'date' && typeof value === 'string') {
    return html`${formatDate(context, value)}`;
  }
  if (field.kind === 'address' && isAnswerObject(value)) {
    return lines(addressParts.map((part) => value[part])
      .filter((part): part is string => typeof part === 'string'));
  }
  if (field.kind === 'file' && isStoredFileRef(value)) {
    const name = `${value.name} (${bytesText(value.size)})`;
    return fileHref === undefined ? html`${name}`
      : html`<a href="${fileHref(value.fileId)}">${name}</a>`;
  }
  if (typeof value === 'string') return html`${value}`;
  if (isAnswerObject(value)) {
    return html`${Object.values(value).filter((part) => typeof part === 'string').join(' ')}`;
  }
  return html`${JSON.stringify(value)}`;
}

function groupHtml(context: PageContext, def: FormDefinition, field: FormField,
  value: AnswerValue, answers: Answers, fileHref: FileHref): SafeHtml {
  const items = Array.isArray(value) ? value : [];
  if (items.length === 0) return html`${context.t('forms.check.none')}`;
  return html`<ol class="answer-items">${items.map((item) => {
    const itemAnswers: Answers = isAnswerObject(item) ? item : {};
    const parts = (field.fields ?? [])
      .filter((inner) => isItemFieldShown(def, field, inner, itemAnswers, answers) &&
        answerOf(itemAnswers, inner.id) !== undefined)
      .map((inner) => html`${textHtml(context, inner.label)}: ${answerHtml(context, inner,
        answerOf(itemAnswers, inner.id) as AnswerValue, fileHref)}`);
    return html`<li>${lines(parts)}</li>`;
  })}</ol>`;
}

type SummaryOptions = Readonly<{
  def: FormDefinition;
  answers: Answers;
  fileHref?: FileHref;
  changeHref?: ((pageId: string) => string) | undefined;
}>;

function pageSummary(context: PageContext, page: FormPage, options: SummaryOptions): SafeHtml {
  const { def, answers, changeHref } = options;
  const rows = page.fields.filter((field) => isFieldShown(def, field.id, answers)).map((field) => {
    const value = answerOf(answers, field.id);
    const shown = value === undefined ? html`${context.t('forms.check.notAnswered')}`
      : field.kind === 'group' ? groupHtml(context, def, field, value, answers, options.fileHref)
        : answerHtml(context, field, value, options.fileHref);
    const change = changeHref === undefined ? html`` : html`<dd class="actions"><a href="${
      changeHref(page.id)}">${context.t('forms.check.change')}<span class="visually-hidden"> ${
      plainText(context, field.label)}</span></a></dd>`;
    return html`<div class="row"><dt>${textHtml(context, field.label)}</dt><dd>${shown}</dd>${
      change}</div>`;
  });
  return html`<h2>${textHtml(context, page.title)}</h2><dl class="summary answers">${rows}</dl>`;
}

/** Check your answers: a summary list per visible page, each answer with a "Change" link. */
export function renderCheckAnswers(context: PageContext, input: Readonly<{ def: FormDefinition;
  answers: Answers; changeHref: (pageId: string) => string; fileHref?: FileHref }>): SafeHtml {
  return html`${visiblePages(input.def, input.answers)
    .map((page) => pageSummary(context, page, input))}`;
}

/** The answers, read-only (officers), page by page. */
export function renderAnswers(context: PageContext, input: Readonly<{ def: FormDefinition;
  answers: Answers; fileHref?: FileHref }>): SafeHtml {
  return html`${visiblePages(input.def, input.answers)
    .map((page) => pageSummary(context, page, input))}`;
}
