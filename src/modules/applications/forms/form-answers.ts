/**
 * From a posted page to answers, and the server's checks of answers. What was typed is kept
 * even when it is wrong, so the page can be shown again with it; only relevant fields (see
 * form-logic) are checked.
 */
import {
  checkField,
  checkGroupCount,
  dateFromParts,
  type CheckOptions,
} from './form-checks.ts';
import {
  findPage,
  isFieldShown,
  isItemFieldShown,
  isPageShown,
  visiblePages,
} from './form-logic.ts';
import {
  addressParts,
  formLimits,
  isAnswerObject,
  isStoredFileRef,
  type AnswerValue,
  type Answers,
  type FieldError,
  type FormDefinition,
  type FormField,
  type FormPage,
  type PostedForm,
} from './form-types.ts';

/** The first text posted under name, if any (a repeated name keeps its first value). */
function postedText(posted: PostedForm, name: string): string | undefined {
  if (!Object.hasOwn(posted.fields, name)) return undefined;
  const value: unknown = posted.fields[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((item): item is string => typeof item === 'string');
  return undefined;
}

function postedList(posted: PostedForm, name: string): string[] {
  if (!Object.hasOwn(posted.fields, name)) return [];
  const value: unknown = posted.fields[name];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

function nonBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

function readDate(posted: PostedForm, path: string): AnswerValue | undefined {
  const whole = nonBlank(postedText(posted, path));
  if (whole !== undefined) return whole;
  const [day, month, year] = ['day', 'month', 'year']
    .map((part) => postedText(posted, `${path}.${part}`) ?? '');
  if (day === undefined || month === undefined || year === undefined) return undefined;
  if (day.trim() === '' && month.trim() === '' && year.trim() === '') return undefined;
  return dateFromParts(day, month, year) ?? { day, month, year };
}

function readAddress(posted: PostedForm, path: string): AnswerValue | undefined {
  const address: Record<string, string> = {};
  for (const part of addressParts) {
    const text = nonBlank(postedText(posted, `${path}.${part}`));
    if (text !== undefined) address[part] = text;
  }
  return Object.keys(address).length === 0 ? undefined : address;
}

function readYesNo(text: string | undefined): AnswerValue | undefined {
  if (text === 'yes') return true;
  if (text === 'no') return false;
  return nonBlank(text);
}

/** One field's answer from the post; previous is its answer before (kept files come from it). */
function readValue(field: FormField, path: string, posted: PostedForm,
  previous: AnswerValue | undefined): AnswerValue | undefined {
  switch (field.kind) {
    case 'choice': {
      if (field.multiple !== true) return nonBlank(postedText(posted, path));
      const chosen = postedList(posted, path);
      return chosen.length === 0 ? undefined : chosen;
    }
    case 'yes-no': return readYesNo(postedText(posted, path));
    case 'date': return readDate(posted, path);
    case 'address': return readAddress(posted, path);
    case 'file': {
      const uploaded = posted.files.find((file) => file.field === path);
      if (uploaded !== undefined) return uploaded.stored;
      return isStoredFileRef(previous) ? previous : undefined;
    }
    case 'group': return readGroup(field, path, posted, previous);
    default: return nonBlank(postedText(posted, path));
  }
}

/** Each slot of a group; a slot left blank is dropped, so items close up. */
function readGroup(field: FormField, path: string, posted: PostedForm,
  previous: AnswerValue | undefined): AnswerValue | undefined {
  const { items } = readGroupSlots(field, path, posted, previous);
  return items.length === 0 ? undefined : items;
}

function readGroupSlots(field: FormField, path: string, posted: PostedForm,
  previous: AnswerValue | undefined): { items: AnswerValue[]; kept: number[] } {
  const slots = Math.min(field.maxItems ?? 1, formLimits.groupItemsMax);
  const before = Array.isArray(previous) ? previous : [];
  const items: AnswerValue[] = [];
  const kept: number[] = [];
  for (let index = 0; index < slots; index += 1) {
    const previousItem: AnswerValue | undefined = before[index];
    const item: Record<string, AnswerValue> = {};
    for (const inner of field.fields ?? []) {
      const old = isAnswerObject(previousItem) && !isStoredFileRef(previousItem)
        ? previousItem[inner.id] : undefined;
      const value = readValue(inner, `${path}.${String(index)}.${inner.id}`, posted, old);
      if (value !== undefined) item[inner.id] = value;
    }
    if (Object.keys(item).length > 0) {
      items.push(item);
      kept.push(index);
    }
  }
  return { items, kept };
}

/**
 * Where each posted slot of the page's groups ends up once blank slots are dropped: kept
 * slots close up, blank ones follow them in order (an error about a blank slot, such as a
 * refused upload, then shows on a blank slot of the page drawn again).
 */
export function slotPositions(def: FormDefinition, pageId: string, posted: PostedForm,
  previous: Answers): ReadonlyMap<string, readonly number[]> {
  const positions = new Map<string, number[]>();
  for (const field of findPage(def, pageId)?.fields ?? []) {
    if (field.kind !== 'group') continue;
    const slots = Math.min(field.maxItems ?? 1, formLimits.groupItemsMax);
    const { kept } = readGroupSlots(field, field.id, posted, answerOf(previous, field.id));
    const order = [...kept, ...Array.from({ length: slots }, (_unused, slot) => slot)
      .filter((slot) => !kept.includes(slot))];
    const bySlot: number[] = [];
    for (const [position, slot] of order.entries()) bySlot[slot] = position;
    positions.set(field.id, bySlot);
  }
  return positions;
}

function groupErrors(def: FormDefinition, field: FormField, path: string,
  value: AnswerValue | undefined, answers: Answers, options: CheckOptions): FieldError[] {
  const items = Array.isArray(value) ? value : [];
  const errors = checkGroupCount(field, path, items.length);
  for (const [index, item] of items.entries()) {
    const itemAnswers: Answers = isAnswerObject(item) ? item : {};
    for (const inner of field.fields ?? []) {
      if (!isItemFieldShown(def, field, inner, itemAnswers, answers)) continue;
      const innerValue = Object.hasOwn(itemAnswers, inner.id) ? itemAnswers[inner.id] : undefined;
      errors.push(...checkField(inner, `${path}.${String(index)}.${inner.id}`, innerValue,
        options));
    }
  }
  return errors;
}

function answerOf(answers: Answers, id: string): AnswerValue | undefined {
  return Object.hasOwn(answers, id) ? answers[id] : undefined;
}

function pageErrors(def: FormDefinition, page: FormPage, answers: Answers,
  options: CheckOptions): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of page.fields) {
    if (!isFieldShown(def, field.id, answers)) continue;
    const value = answerOf(answers, field.id);
    errors.push(...(field.kind === 'group'
      ? groupErrors(def, field, field.id, value, answers, options)
      : checkField(field, field.id, value, options)));
  }
  return errors;
}

/**
 * Reads one page's posted fields into answers for that page merged over `previous`, plus
 * errors for that page's visible fields. An unknown or hidden page changes nothing.
 */
export function readPage(def: FormDefinition, pageId: string, posted: PostedForm,
  previous: Answers, options: CheckOptions = {}): { answers: Answers; errors: FieldError[] } {
  const page = findPage(def, pageId);
  if (page === undefined || !isPageShown(def, page, previous)) {
    return { answers: previous, errors: [{ field: '', messageKey: 'forms.error.pageUnknown' }] };
  }
  const answers: Record<string, AnswerValue> = { ...previous };
  for (const field of page.fields) {
    const value = readValue(field, field.id, posted, answerOf(previous, field.id));
    if (value === undefined) delete answers[field.id];
    else answers[field.id] = value;
  }
  return { answers, errors: pageErrors(def, page, answers, options) };
}

/** Errors of one page (visible fields only), e.g. to check a resumed draft. */
export function validatePage(def: FormDefinition, pageId: string, answers: Answers,
  options: CheckOptions = {}): FieldError[] {
  const page = findPage(def, pageId);
  return page === undefined || !isPageShown(def, page, answers) ? []
    : pageErrors(def, page, answers, options);
}

/** Errors of the whole form: the visible fields of the visible pages. */
export function validateAnswers(def: FormDefinition, answers: Answers,
  options: CheckOptions = {}): FieldError[] {
  return visiblePages(def, answers).flatMap((page) => pageErrors(def, page, answers, options));
}

/** The answers without those of hidden pages and fields: what is submitted. */
export function relevantAnswers(def: FormDefinition, answers: Answers): Answers {
  const kept: Record<string, AnswerValue> = {};
  for (const page of visiblePages(def, answers)) {
    for (const field of page.fields) {
      const value = answerOf(answers, field.id);
      if (value === undefined || !isFieldShown(def, field.id, answers)) continue;
      kept[field.id] = field.kind === 'group' && Array.isArray(value)
        ? value.map((item) => relevantItem(def, field, item, answers)) : value;
    }
  }
  return kept;
}

function relevantItem(def: FormDefinition, group: FormField, item: AnswerValue,
  answers: Answers): AnswerValue {
  if (!isAnswerObject(item)) return item;
  const kept: Record<string, AnswerValue> = {};
  for (const inner of group.fields ?? []) {
    const value = Object.hasOwn(item, inner.id) ? item[inner.id] : undefined;
    if (value !== undefined && isItemFieldShown(def, group, inner, item, answers)) {
      kept[inner.id] = value;
    }
  }
  return kept;
}
