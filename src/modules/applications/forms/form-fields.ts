/**
 * Each kind of field as accessible HTML (GOV.UK patterns): label, hint and error inside the
 * field's group and tied to the input by aria-describedby; fieldsets with legends for choices,
 * yes/no, dates, addresses and groups. No script: conditional fields are always there, with a
 * hint saying when to answer them, and a group has a fixed number of item slots.
 */
import { html, type PageContext, type SafeHtml } from '#web/index.ts';
import { bytesText, fileTypesText } from './form-checks.ts';
import { findField } from './form-logic.ts';
import {
  addressParts,
  formLimits,
  isAnswerObject,
  isStoredFileRef,
  type AnswerValue,
  type FieldError,
  type FormDefinition,
  type FormField,
} from './form-types.ts';
import { conditionAnswerText, errorText, htmlId, plainText, textHtml } from './form-text.ts';

export type FieldState = Readonly<{
  context: PageContext;
  def: FormDefinition;
  errors: readonly FieldError[];
  /** The group the field is an item field of, if any. */
  group?: FormField;
}>;

type Described = Readonly<{ hints: SafeHtml; errors: SafeHtml; describedBy: string;
  invalid: boolean }>;

function textValue(value: AnswerValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

function onlyIfHint(state: FieldState, field: FormField): string | undefined {
  const condition = field.showWhen;
  if (condition === undefined) return undefined;
  const target = state.group?.fields?.find((candidate) => candidate.id === condition.field) ??
    findField(state.def, condition.field);
  return state.context.t('forms.onlyIf', {
    answer: conditionAnswerText(state.context, target, condition.equals),
    question: target === undefined ? condition.field : plainText(state.context, target.label),
  });
}

/** Hint and error paragraphs of a field, and the ids an input's aria-describedby names. */
function describe(state: FieldState, field: FormField, path: string, extraHints: string[] = []):
Described {
  const id = htmlId(path);
  const hintParts = [
    field.hint === undefined ? undefined : textHtml(state.context, field.hint),
    onlyIfHint(state, field),
    ...extraHints,
  ].filter((part) => part !== undefined);
  const own = state.errors.filter((error) => error.field === path);
  const hints = hintParts.length === 0 ? html``
    : html`<p class="hint" id="${id}-hint">${hintParts.map((part, index) =>
      html`${index === 0 ? '' : ' '}${part}`)}</p>`;
  const errors = html`${own.map((error, index) => html`<p class="error-message" id="${id}-error${
    index === 0 ? '' : `-${String(index)}`}"><span class="visually-hidden">${
    state.context.t('forms.errorPrefix')}</span> ${errorText(state.context, error, field)}</p>`)}`;
  const describedBy = [
    hintParts.length === 0 ? undefined : `${id}-hint`,
    ...own.map((_error, index) => `${id}-error${index === 0 ? '' : `-${String(index)}`}`),
  ].filter((part) => part !== undefined).join(' ');
  return { hints, errors, describedBy, invalid: own.length > 0 };
}

function ariaAttributes(described: Described): SafeHtml {
  return html`${described.describedBy === '' ? ''
    : html` aria-describedby="${described.describedBy}"`}${
    described.invalid ? html` aria-invalid="true"` : ''}`;
}

function optionalMark(state: FieldState, field: FormField): SafeHtml {
  return field.required ? html`` : html` <span class="optional">${
    state.context.t('forms.optional')}</span>`;
}

function fieldClass(described: Described, extra = ''): string {
  return `field${extra}${described.invalid ? ' field-error' : ''}`;
}

const inputKinds: Readonly<Record<string, Readonly<{ type: string; inputmode?: string;
  autocomplete?: string; spellcheck?: boolean; width?: string }>>> = {
  text: { type: 'text' },
  number: { type: 'text', inputmode: 'numeric', width: 'width-10' },
  'id-number': { type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: false,
    width: 'width-10' },
  phone: { type: 'tel', autocomplete: 'tel', width: 'width-20' },
  email: { type: 'email', autocomplete: 'email', spellcheck: false },
};

function renderInput(state: FieldState, field: FormField, path: string,
  value: AnswerValue | undefined): SafeHtml {
  const kind = inputKinds[field.kind] ?? { type: 'text' };
  const described = describe(state, field, path);
  const id = htmlId(path);
  const autocomplete = field.autocomplete ?? kind.autocomplete;
  const maxLength = field.kind === 'text'
    ? (field.maxLength ?? formLimits.textLengthDefault) * 2 : 100;
  return html`<div class="${fieldClass(described)}">
<label for="${id}">${textHtml(state.context, field.label)}${optionalMark(state, field)}</label>
${described.hints}${described.errors}
<input id="${id}" name="${path}" type="${kind.type}" value="${textValue(value)}"${
  kind.width === undefined ? '' : html` class="${kind.width}"`}${
  kind.inputmode === undefined ? '' : html` inputmode="${kind.inputmode}"`}${
  autocomplete === undefined ? '' : html` autocomplete="${autocomplete}"`}${
  kind.spellcheck === false ? html` spellcheck="false"` : ''}${ariaAttributes(described)
} maxlength="${maxLength}">
</div>`;
}

function renderOptions(state: FieldState, field: FormField, path: string,
  value: AnswerValue | undefined): SafeHtml {
  const multiple = field.kind === 'choice' && field.multiple === true;
  const options = field.kind === 'yes-no'
    ? [{ value: 'yes', text: state.context.t('forms.yes'), checked: value === true },
      { value: 'no', text: state.context.t('forms.no'), checked: value === false }]
    : (field.options ?? []).map((option) => ({
      value: option.value, text: textHtml(state.context, option.label),
      checked: Array.isArray(value) ? value.includes(option.value) : value === option.value,
    }));
  const described = describe(state, field, path,
    multiple ? [state.context.t('forms.multipleHint')] : []);
  const id = htmlId(path);
  return html`<div class="${fieldClass(described)}">
<fieldset${described.describedBy === '' ? '' : html` aria-describedby="${described.describedBy}"`}>
<legend>${textHtml(state.context, field.label)}${optionalMark(state, field)}</legend>
${described.hints}${described.errors}
<div class="${field.kind === 'yes-no' ? 'choices inline' : 'choices'}">${options.map((option,
  index) => {
  const optionId = index === 0 ? id : `${id}-${String(index)}`;
  return html`<div class="radio"><input type="${multiple ? 'checkbox' : 'radio'}" id="${
    optionId}" name="${path}" value="${option.value}"${option.checked ? ' checked' : ''}><label
 for="${optionId}">${option.text}</label></div>`;
})}</div>
</fieldset>
</div>`;
}

function dateValues(value: AnswerValue | undefined): Readonly<Record<string, string>> {
  if (typeof value === 'string') {
    const [year = '', month = '', day = ''] = value.split('-');
    return { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year };
  }
  if (!isAnswerObject(value)) return {};
  return { day: textValue(value.day), month: textValue(value.month), year: textValue(value.year) };
}

function renderDate(state: FieldState, field: FormField, path: string,
  value: AnswerValue | undefined): SafeHtml {
  const described = describe(state, field, path, [state.context.t('forms.date.hint')]);
  const id = htmlId(path);
  const values = dateValues(value);
  const part = (name: 'day' | 'month' | 'year', width: string) => {
    const partId = name === 'day' ? id : `${id}-${name}`;
    return html`<div class="date-part"><label for="${partId}">${
      state.context.t(`forms.date.${name}`)}</label><input id="${partId}" name="${path}.${name}"
 type="text" inputmode="numeric" class="${width}" value="${values[name] ?? ''}" maxlength="4"${
  described.invalid ? html` aria-invalid="true"` : ''}></div>`;
  };
  return html`<div class="${fieldClass(described)}">
<fieldset role="group"${described.describedBy === '' ? ''
  : html` aria-describedby="${described.describedBy}"`}>
<legend>${textHtml(state.context, field.label)}${optionalMark(state, field)}</legend>
${described.hints}${described.errors}
<div class="date-input">${part('day', 'width-2')}${part('month', 'width-2')}${
  part('year', 'width-4')}</div>
</fieldset>
</div>`;
}

function renderAddress(state: FieldState, field: FormField, path: string,
  value: AnswerValue | undefined): SafeHtml {
  const described = describe(state, field, path);
  const parts = addressParts.map((name) => {
    const partPath = `${path}.${name}`;
    const partDescribed = describe(state, { ...field, hint: undefined, showWhen: undefined },
      partPath);
    const partValue = isAnswerObject(value) ? value[name] : undefined;
    const autocomplete = { line1: 'address-line1', line2: 'address-line2',
      town: 'address-level2', county: 'address-level1', postcode: 'postal-code' }[name];
    return html`<div class="${fieldClass(partDescribed)}"><label for="${htmlId(partPath)}">${
      state.context.t(`forms.address.${name}`)}</label>${partDescribed.errors}<input id="${
      htmlId(partPath)}" name="${partPath}" type="text" autocomplete="${autocomplete}" value="${
      textValue(partValue)}"${name === 'postcode' ? html` class="width-10" inputmode="numeric"`
      : ''} maxlength="200"${ariaAttributes(partDescribed)}></div>`;
  });
  return html`<div class="field">
<fieldset${described.describedBy === '' ? '' : html` aria-describedby="${described.describedBy}"`}>
<legend>${textHtml(state.context, field.label)}${optionalMark(state, field)}</legend>
${described.hints}${described.errors}
${parts}
</fieldset>
</div>`;
}

function renderFile(state: FieldState, field: FormField, path: string,
  value: AnswerValue | undefined): SafeHtml {
  const t = state.context.t;
  const rules = t('forms.file.rules', {
    types: fileTypesText(field), max: bytesText(field.maxBytes ?? formLimits.fileBytesMax),
  });
  const current = isStoredFileRef(value)
    ? [t('forms.file.current', { name: value.name, size: bytesText(value.size) }),
      t('forms.file.keep')] : [];
  const described = describe(state, field, path, [rules, ...current]);
  const id = htmlId(path);
  return html`<div class="${fieldClass(described)}">
<label for="${id}">${textHtml(state.context, field.label)}${optionalMark(state, field)}</label>
${described.hints}${described.errors}
<input id="${id}" name="${path}" type="file" accept="${(field.accept ?? []).join(',')}"${
  ariaAttributes(described)}>
</div>`;
}

function renderGroup(state: FieldState, field: FormField, path: string,
  value: AnswerValue | undefined): SafeHtml {
  const t = state.context.t;
  const slots = Math.min(field.maxItems ?? 1, formLimits.groupItemsMax);
  const min = field.minItems ?? (field.required ? 1 : 0);
  const slotHints = slots > min ? [t('forms.group.slots', { max: slots })] : [];
  const described = describe(state, field, path,
    [...(min > 0 ? [t('forms.group.atLeast', { min })] : []), ...slotHints]);
  const items = Array.isArray(value) ? value : [];
  const label = plainText(state.context, field.label);
  const slotHtml = Array.from({ length: slots }, (_unused, index) => {
    const item: AnswerValue | undefined = items[index];
    const inner = (field.fields ?? []).map((child) => renderField(
      { ...state, group: field }, child, `${path}.${String(index)}.${child.id}`,
      isAnswerObject(item) && Object.hasOwn(item, child.id) ? item[child.id] : undefined));
    return html`<fieldset class="group-item"><legend>${
      t('forms.group.item', { label, number: index + 1 })}</legend>${inner}</fieldset>`;
  });
  return html`<div class="${fieldClass(described, ' group')}">
<fieldset id="${htmlId(path)}" tabindex="-1"${described.describedBy === '' ? ''
  : html` aria-describedby="${described.describedBy}"`}>
<legend class="group-legend">${textHtml(state.context, field.label)}${
  optionalMark(state, field)}</legend>
${described.hints}${described.errors}
${slotHtml}
</fieldset>
</div>`;
}

/** One field at path, showing value (as typed, even when wrong) and its errors. */
export function renderField(state: FieldState, field: FormField, path: string,
  value: AnswerValue | undefined): SafeHtml {
  switch (field.kind) {
    case 'choice':
    case 'yes-no': return renderOptions(state, field, path, value);
    case 'date': return renderDate(state, field, path, value);
    case 'address': return renderAddress(state, field, path, value);
    case 'file': return renderFile(state, field, path, value);
    case 'group': return renderGroup(state, field, path, value);
    default: return renderInput(state, field, path, value);
  }
}
