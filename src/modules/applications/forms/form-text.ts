/**
 * Shared pieces of the form views: element ids from field paths, text in the page's language,
 * and error messages with the field's label put in.
 */
import { html, localised, pickText, type PageContext, type SafeHtml } from '#web/index.ts';
import { findField } from './form-logic.ts';
import type {
  AnswerValue,
  FieldError,
  FormDefinition,
  FormField,
  LocalisedText,
} from './form-types.ts';

/** The element id of a field path ("guarantors.0.name" -> "f-guarantors-0-name"). */
export function htmlId(path: string): string {
  return `f-${path.replaceAll('.', '-')}`;
}

/** Text in the page's language, marked lang="en" when only English exists. */
export function textHtml(context: PageContext, text: LocalisedText): SafeHtml {
  return localised(context.language, pickText(context.language, text));
}

export function plainText(context: PageContext, text: LocalisedText): string {
  return pickText(context.language, text).text;
}

type PathLabel = Readonly<{ field: FormField; item?: string }>;

/** The field a path names, and the group item it is in ("Guarantor 2"), if any. */
export function fieldAtPath(context: PageContext, def: FormDefinition, path: string):
PathLabel | undefined {
  const [first = '', index, inner] = path.split('.');
  const field = findField(def, first);
  if (field === undefined) return undefined;
  if (field.kind !== 'group' || index === undefined || inner === undefined) return { field };
  const child = field.fields?.find((candidate) => candidate.id === inner);
  if (child === undefined) return { field };
  const item = context.t('forms.group.item',
    { label: plainText(context, field.label), number: Number(index) + 1 });
  return { field: child, item };
}

export function errorText(context: PageContext, error: FieldError, field: FormField | undefined):
string {
  const label = field === undefined ? '' : plainText(context, field.label);
  return context.t(error.messageKey, { ...error.params, label });
}

/** The error's message as the summary at the top shows it (with its group item). */
export function summaryText(context: PageContext, def: FormDefinition, error: FieldError):
string {
  const at = fieldAtPath(context, def, error.field);
  const message = errorText(context, error, at?.field);
  return at?.item === undefined ? message
    : context.t('forms.errorSummary.inItem', { item: at.item, message });
}

export function errorSummary(context: PageContext, def: FormDefinition,
  errors: readonly FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1"
 aria-labelledby="error-summary-title"><h2 id="error-summary-title">${
  context.t('forms.errorSummary.title')}</h2><ul>${errors.map((error) => error.field === ''
  ? html`<li>${summaryText(context, def, error)}</li>`
  : html`<li><a href="#${htmlId(error.field)}">${summaryText(context, def, error)}</a></li>`)
}</ul></div>`;
}

/** How an answer compared in a showWhen reads: Yes/No, or the chosen option's label. */
export function conditionAnswerText(context: PageContext, target: FormField | undefined,
  equals: AnswerValue): string {
  if (typeof equals === 'boolean') return context.t(equals ? 'forms.yes' : 'forms.no');
  const option = target?.options?.find((candidate) => candidate.value === equals);
  return option === undefined ? String(equals) : plainText(context, option.label);
}
