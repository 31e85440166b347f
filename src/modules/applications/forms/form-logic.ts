/**
 * Which pages and fields an answer makes relevant (showWhen), and the order of pages. A field
 * that is not relevant is never checked, and is left out of what is submitted.
 */
import type {
  AnswerValue,
  Answers,
  FormDefinition,
  FormField,
  FormPage,
  ShowWhen,
} from './form-types.ts';

type Located = Readonly<{ field: FormField; page: FormPage }>;

const indexes = new WeakMap<FormDefinition, ReadonlyMap<string, Located>>();

/** Top-level fields by id, with their page; built once per definition. */
function fieldIndex(def: FormDefinition): ReadonlyMap<string, Located> {
  const cached = indexes.get(def);
  if (cached !== undefined) return cached;
  const index = new Map<string, Located>();
  for (const page of def.pages) {
    for (const field of page.fields) index.set(field.id, { field, page });
  }
  indexes.set(def, index);
  return index;
}

export function findField(def: FormDefinition, fieldId: string): FormField | undefined {
  return fieldIndex(def).get(fieldId)?.field;
}

export function findPage(def: FormDefinition, pageId: string): FormPage | undefined {
  return def.pages.find((page) => page.id === pageId);
}

function matches(value: AnswerValue | undefined, equals: string | boolean): boolean {
  return value === equals;
}

/** Whether a top-level field is shown: its page is, its condition holds, and so on up. */
export function isFieldShown(def: FormDefinition, fieldId: string, answers: Answers,
  depth = 0): boolean {
  const located = fieldIndex(def).get(fieldId);
  // A chain longer than the form has fields is a cycle: parseFormDefinition forbids those.
  if (located === undefined || depth > fieldIndex(def).size) return false;
  if (!isConditionMet(def, located.page.showWhen, answers, depth)) return false;
  return isConditionMet(def, located.field.showWhen, answers, depth);
}

function isConditionMet(def: FormDefinition, condition: ShowWhen | undefined, answers: Answers,
  depth: number): boolean {
  if (condition === undefined) return true;
  return isFieldShown(def, condition.field, answers, depth + 1) &&
    matches(answers[condition.field], condition.equals);
}

export function isPageShown(def: FormDefinition, page: FormPage, answers: Answers): boolean {
  return isConditionMet(def, page.showWhen, answers, 0);
}

/**
 * Whether a field inside a group item is shown: its condition names a field of the same item
 * (or, failing that, a top-level field).
 */
export function isItemFieldShown(def: FormDefinition, group: FormField, field: FormField,
  item: Answers, answers: Answers): boolean {
  const condition = field.showWhen;
  if (condition === undefined) return true;
  const sibling = group.fields?.find((candidate) => candidate.id === condition.field);
  if (sibling === undefined) return isConditionMet(def, condition, answers, 0);
  return isItemFieldShown(def, group, sibling, item, answers) &&
    matches(item[condition.field], condition.equals);
}

export function visiblePages(def: FormDefinition, answers: Answers): FormPage[] {
  return def.pages.filter((page) => isPageShown(def, page, answers));
}

/** The visible page after the current one; undefined: the check-your-answers page is next. */
export function nextPageId(def: FormDefinition, currentPageId: string, answers: Answers):
string | undefined {
  const position = def.pages.findIndex((page) => page.id === currentPageId);
  return def.pages.slice(position + 1).find((page) => isPageShown(def, page, answers))?.id;
}

/** The visible page before the current one; undefined on the first. */
export function previousPageId(def: FormDefinition, currentPageId: string, answers: Answers):
string | undefined {
  const position = def.pages.findIndex((page) => page.id === currentPageId);
  if (position <= 0) return undefined;
  return def.pages.slice(0, position).reverse().find((page) => isPageShown(def, page, answers))
    ?.id;
}

/** The first visible page, where a new application starts. */
export function firstPageId(def: FormDefinition, answers: Answers = {}): string {
  const first = visiblePages(def, answers)[0] ?? def.pages[0];
  if (first === undefined) throw new Error('a form definition has at least one page');
  return first.id;
}
