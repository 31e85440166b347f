/**
 * Checks a form definition itself before the platform uses it: shapes, limits, unique ids,
 * and that every showWhen names a field that exists and comes before it.
 */
import { err, ok, type Result } from '#platform/errors/index.ts';
import {
  formLimits,
  type FieldKind,
  type FormDefinition,
  type FormField,
} from './form-types.ts';

const fieldKinds: readonly FieldKind[] = ['text', 'number', 'date', 'choice', 'yes-no',
  'id-number', 'phone', 'email', 'address', 'file', 'group'];
/** Ids become parts of field names ("guarantors.0.name"): letters and digits only. */
const idPattern = /^[a-z][A-Za-z0-9]{0,39}$/;
const mimePattern = /^[a-z]+\/[a-z0-9.+-]+$/;

type Problems = string[];
type Raw = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkText(value: unknown, where: string, problems: Problems): void {
  if (!isRecord(value) || typeof value.en !== 'string' || typeof value.sw !== 'string' ||
    value.en.trim() === '' || value.sw.trim() === '') {
    problems.push(`${where} must have English and Swahili text ({ en, sw })`);
  }
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function checkChoice(field: Raw, where: string, problems: Problems): void {
  const options = field.options;
  if (!Array.isArray(options) || options.length === 0 || options.length > formLimits.optionsMax) {
    problems.push(`${where}: a choice needs 1 to ${formLimits.optionsMax} options`);
    return;
  }
  const values = new Set<string>();
  for (const [index, option] of (options as unknown[]).entries()) {
    if (!isRecord(option) || typeof option.value !== 'string' || !idPatternLoose(option.value)) {
      problems.push(`${where}.options.${index}: value must be 1-40 of a-z A-Z 0-9 _ -`);
      continue;
    }
    if (values.has(option.value)) problems.push(`${where}: option ${option.value} is twice`);
    values.add(option.value);
    checkText(option.label, `${where}.options.${index}.label`, problems);
  }
  if (field.multiple !== undefined && typeof field.multiple !== 'boolean') {
    problems.push(`${where}: multiple must be true or false`);
  }
}

function idPatternLoose(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,40}$/.test(value);
}

function checkFile(field: Raw, where: string, problems: Problems): void {
  const accept = field.accept;
  if (!Array.isArray(accept) || accept.length === 0 ||
    !accept.every((type) => typeof type === 'string' && mimePattern.test(type))) {
    problems.push(`${where}: a file needs accept, a list of MIME types`);
  }
  if (!isWhole(field.maxBytes) || field.maxBytes < 1 || field.maxBytes > formLimits.fileBytesMax) {
    problems.push(`${where}: a file needs maxBytes from 1 to ${formLimits.fileBytesMax}`);
  }
}

function checkNumbers(field: Raw, where: string, problems: Problems): void {
  for (const name of ['min', 'max', 'maxLength'] as const) {
    if (field[name] !== undefined && !isWhole(field[name])) {
      problems.push(`${where}: ${name} must be a whole number`);
    }
  }
  if (isWhole(field.min) && isWhole(field.max) && field.min > field.max) {
    problems.push(`${where}: min is above max`);
  }
  if (isWhole(field.maxLength) &&
    (field.maxLength < 1 || field.maxLength > formLimits.textLengthMax)) {
    problems.push(`${where}: maxLength must be from 1 to ${formLimits.textLengthMax}`);
  }
}

type Scope = Readonly<{ known: Map<string, Raw>; siblings: Map<string, Raw> | undefined }>;

function checkGroup(field: Raw, where: string, scope: Scope, problems: Problems): void {
  const fields = field.fields;
  if (!Array.isArray(fields) || fields.length === 0) {
    problems.push(`${where}: a group needs fields`);
    return;
  }
  const { minItems, maxItems } = field;
  if (!isWhole(maxItems) || maxItems < 1 || maxItems > formLimits.groupItemsMax) {
    problems.push(`${where}: a group needs maxItems from 1 to ${formLimits.groupItemsMax}`);
  }
  if (minItems !== undefined && (!isWhole(minItems) || minItems < 0 ||
    (isWhole(maxItems) && minItems > maxItems))) {
    problems.push(`${where}: minItems must be from 0 to maxItems`);
  }
  const siblings = new Map<string, Raw>();
  for (const [index, inner] of (fields as unknown[]).entries()) {
    const innerWhere = `${where}.fields.${index}`;
    if (isRecord(inner) && inner.kind === 'group') {
      problems.push(`${innerWhere}: a group cannot hold another group`);
      continue;
    }
    checkField(inner, innerWhere, { known: scope.known, siblings }, problems);
  }
}

function checkShowWhen(value: unknown, id: string, where: string, scope: Scope,
  problems: Problems): void {
  if (value === undefined) return;
  if (!isRecord(value) || typeof value.field !== 'string' ||
    (typeof value.equals !== 'string' && typeof value.equals !== 'boolean')) {
    problems.push(`${where}: showWhen must be { field, equals: text or true/false }`);
    return;
  }
  const target = scope.siblings?.get(value.field) ?? scope.known.get(value.field);
  if (target === undefined || value.field === id) {
    problems.push(`${where}: showWhen names ${value.field}, which is not a field before it`);
    return;
  }
  const answerIsBoolean = target.kind === 'yes-no';
  if (answerIsBoolean !== (typeof value.equals === 'boolean')) {
    problems.push(`${where}: showWhen compares ${value.field} with a value it cannot have`);
  }
}

function checkField(value: unknown, where: string, scope: Scope, problems: Problems): void {
  if (!isRecord(value)) {
    problems.push(`${where} must be a field object`);
    return;
  }
  const id = typeof value.id === 'string' ? value.id : '';
  if (!idPattern.test(id) || id in {}) {
    problems.push(`${where}: id must be 1-40 letters and digits, not a reserved name`);
  }
  const names = scope.siblings ?? scope.known;
  if (names.has(id)) problems.push(`${where}: id ${id} is used twice`);
  if (!fieldKinds.includes(value.kind as FieldKind)) {
    problems.push(`${where}: kind must be one of ${fieldKinds.join(', ')}`);
  }
  checkText(value.label, `${where}.label`, problems);
  if (value.hint !== undefined) checkText(value.hint, `${where}.hint`, problems);
  if (typeof value.required !== 'boolean') problems.push(`${where}: required must be a boolean`);
  checkNumbers(value, where, problems);
  checkShowWhen(value.showWhen, id, where, scope, problems);
  if (value.dates !== undefined && (value.kind !== 'date' ||
    (value.dates !== 'past' && value.dates !== 'future'))) {
    problems.push(`${where}: dates must be "past" or "future", on a date field`);
  }
  if (value.kind === 'choice') checkChoice(value, where, problems);
  if (value.kind === 'file') checkFile(value, where, problems);
  if (value.kind === 'group') checkGroup(value, where, scope, problems);
  names.set(id, value);
}

function checkPages(pages: unknown, problems: Problems): Map<string, Raw> {
  const known = new Map<string, Raw>();
  if (!Array.isArray(pages) || pages.length === 0 || pages.length > formLimits.pagesMax) {
    problems.push(`pages must be a list of 1 to ${formLimits.pagesMax} pages`);
    return known;
  }
  const pageIds = new Set<string>();
  for (const [index, page] of (pages as unknown[]).entries()) {
    const where = `pages.${index}`;
    if (!isRecord(page)) {
      problems.push(`${where} must be a page object`);
      continue;
    }
    const id = typeof page.id === 'string' ? page.id : '';
    if (!idPattern.test(id)) problems.push(`${where}: id must be 1-40 letters and digits`);
    if (pageIds.has(id)) problems.push(`${where}: page id ${id} is used twice`);
    pageIds.add(id);
    checkText(page.title, `${where}.title`, problems);
    checkShowWhen(page.showWhen, '', where, { known, siblings: undefined }, problems);
    const fields = page.fields;
    if (!Array.isArray(fields) || fields.length === 0 ||
      fields.length > formLimits.fieldsPerPageMax) {
      problems.push(`${where}: a page needs 1 to ${formLimits.fieldsPerPageMax} fields`);
      continue;
    }
    for (const [fieldIndex, field] of (fields as unknown[]).entries()) {
      checkField(field, `${where}.fields.${fieldIndex}`, { known, siblings: undefined }, problems);
    }
  }
  return known;
}

function checkNamedField(known: Map<string, Raw>, id: unknown, kinds: readonly FieldKind[],
  where: string, problems: Problems): void {
  if (id === undefined) return;
  const field = typeof id === 'string' ? known.get(id) : undefined;
  if (field === undefined || !kinds.includes(field.kind as FieldKind)) {
    problems.push(`${where} must name a ${kinds.join(' or ')} field of the form`);
  }
}

/** The definition, checked; or every problem found, each naming where it is. */
export function parseFormDefinition(json: unknown): Result<FormDefinition, readonly string[]> {
  const problems: Problems = [];
  if (!isRecord(json)) return err(['a form definition must be an object']);
  if (!isWhole(json.version) || json.version < 1) {
    problems.push('version must be a whole number from 1');
  }
  const known = checkPages(json.pages, problems);
  if (json.secondParty !== undefined) {
    const second = isRecord(json.secondParty) ? json.secondParty : {};
    if (second.idNumberField === undefined) problems.push('secondParty needs idNumberField');
    checkNamedField(known, second.idNumberField, ['id-number'], 'secondParty.idNumberField',
      problems);
    checkNamedField(known, second.nameField, ['text'], 'secondParty.nameField', problems);
  }
  checkNamedField(known, json.holderNameField, ['text'], 'holderNameField', problems);
  if (problems.length > 0) return err(problems);
  return ok(json as unknown as FormDefinition);
}

/** Every field of the form at the top level (group items' fields are under their group). */
export function allFields(def: FormDefinition): readonly FormField[] {
  return def.pages.flatMap((page) => page.fields);
}
