/**
 * The server's checks of each kind of answer. Each returns the broken rule as a message key
 * (forms.error.*) with its numbers; the field's label is added where the message is shown.
 */
import {
  formLimits,
  isAnswerObject,
  isStoredFileRef,
  type AnswerValue,
  type FieldError,
  type FormField,
} from './form-types.ts';

type Params = Readonly<Record<string, string | number>>;
type Check = Readonly<{ messageKey: string; params?: Params; part?: string }>;

const idNumberPattern = /^\d{7,8}$/;
/** 07xx and 01xx numbers, with 0, 254 or +254 in front, or none (as M-Pesa takes them). */
const phonePattern = /^(?:254|0)?([17]\d{8})$/;
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const emailLengthMax = 254;
const wholeNumberPattern = /^-?\d{1,15}$/;
const postcodePattern = /^\d{5}$/;
const addressLineLengthMax = 100;
const yearMin = 1900;
const yearMax = 2200;

/** A Kenyan ID number (7 or 8 digits, spaces allowed), or undefined. */
export function normaliseIdNumber(text: string): string | undefined {
  const digits = text.replaceAll(/\s/g, '');
  return idNumberPattern.test(digits) ? digits : undefined;
}

/** A Kenyan mobile number as 2547XXXXXXXX / 2541XXXXXXXX, or undefined. */
export function normalisePhone(text: string): string | undefined {
  const digits = text.replaceAll(/[\s-]/g, '').replace(/^\+/, '');
  const match = phonePattern.exec(digits);
  return match === null ? undefined : `254${match[1] ?? ''}`;
}

export function isEmailAddress(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length <= emailLengthMax && emailPattern.test(trimmed);
}

/** "YYYY-MM-DD" for a real calendar date from its parts as typed, or undefined. */
export function dateFromParts(day: string, month: string, year: string): string | undefined {
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) ||
    !/^\d{4}$/.test(year.trim())) return undefined;
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (y < yearMin || y > yearMax || m < 1 || m > 12 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  return `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match !== null && dateFromParts(match[3] ?? '', match[2] ?? '', match[1] ?? '') === text;
}

function textOf(value: AnswerValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function checkText(field: FormField, text: string): Check | undefined {
  const max = field.maxLength ?? formLimits.textLengthDefault;
  return [...text.trim()].length > max ? { messageKey: 'forms.error.tooLong', params: { max } }
    : undefined;
}

function checkNumber(field: FormField, text: string): Check | undefined {
  const cleaned = text.replaceAll(/[\s,]/g, '');
  if (!wholeNumberPattern.test(cleaned)) return { messageKey: 'forms.error.number' };
  const value = Number(cleaned);
  if (field.min !== undefined && value < field.min) {
    return { messageKey: 'forms.error.numberTooSmall', params: { min: field.min } };
  }
  if (field.max !== undefined && value > field.max) {
    return { messageKey: 'forms.error.numberTooLarge', params: { max: field.max } };
  }
  return undefined;
}

function checkChoice(field: FormField, value: AnswerValue): Check | undefined {
  const allowed = new Set((field.options ?? []).map((option) => option.value));
  const chosen = Array.isArray(value) ? value : [value];
  const valid = chosen.every((item) => typeof item === 'string' && allowed.has(item)) &&
    (field.multiple === true || !Array.isArray(value));
  return valid ? undefined : { messageKey: 'forms.error.choice' };
}

/** Today in Kenya (UTC+3, no daylight saving), as YYYY-MM-DD. */
export function todayInKenya(nowMs: number = Date.now()): string {
  return new Date(nowMs + kenyaOffsetMs).toISOString().slice(0, 10);
}

const kenyaOffsetMs = 3 * 60 * 60 * 1000;

export type CheckOptions = Readonly<{
  /** The date "past" and "future" dates are compared with (default: todayInKenya()). */
  today?: string | undefined;
}>;

function checkDate(field: FormField, value: AnswerValue, today: string): Check | undefined {
  if (typeof value === 'string') {
    if (!isIsoDate(value)) return { messageKey: 'forms.error.date' };
    if (field.dates === 'past' && value > today) return { messageKey: 'forms.error.datePast' };
    if (field.dates === 'future' && value <= today) {
      return { messageKey: 'forms.error.dateFuture' };
    }
    return undefined;
  }
  if (!isAnswerObject(value)) return { messageKey: 'forms.error.date' };
  const parts = ['day', 'month', 'year'].map((part) => textOf(value[part])?.trim() ?? '');
  if (parts.some((part) => part === '')) return { messageKey: 'forms.error.dateIncomplete' };
  return { messageKey: 'forms.error.date' };
}

function checkAddress(value: AnswerValue): Check[] {
  if (!isAnswerObject(value)) return [{ messageKey: 'forms.error.addressLine1', part: 'line1' }];
  const part = (name: string) => textOf(value[name])?.trim() ?? '';
  const checks: Check[] = [];
  if (part('line1') === '') checks.push({ messageKey: 'forms.error.addressLine1', part: 'line1' });
  if (part('town') === '') checks.push({ messageKey: 'forms.error.addressTown', part: 'town' });
  for (const name of ['line1', 'line2', 'town', 'county']) {
    if (part(name).length > addressLineLengthMax) {
      checks.push({ messageKey: 'forms.error.tooLong', params: { max: addressLineLengthMax },
        part: name });
    }
  }
  if (part('postcode') !== '' && !postcodePattern.test(part('postcode'))) {
    checks.push({ messageKey: 'forms.error.postcode', part: 'postcode' });
  }
  return checks;
}

function checkFile(field: FormField, value: AnswerValue): Check | undefined {
  if (!isStoredFileRef(value)) return { messageKey: 'forms.error.requiredFile' };
  if (field.accept !== undefined && !field.accept.includes(value.type)) {
    return { messageKey: 'forms.error.fileType', params: { types: fileTypesText(field) } };
  }
  if (field.maxBytes !== undefined && value.size > field.maxBytes) {
    return { messageKey: 'forms.error.fileTooLarge', params: { max: bytesText(field.maxBytes) } };
  }
  return undefined;
}

const typeNames: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF',
};

export function fileTypesText(field: FormField): string {
  return (field.accept ?? []).map((type) => typeNames[type] ?? type).join(', ');
}

export function bytesText(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  if (megabytes >= 1) return `${String(Math.round(megabytes * 10) / 10)} MB`;
  return `${String(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

function requiredKey(field: FormField): string {
  if (field.kind === 'file') return 'forms.error.requiredFile';
  if (field.kind === 'choice' || field.kind === 'yes-no') return 'forms.error.requiredChoice';
  return 'forms.error.required';
}

function isBlank(value: AnswerValue | undefined): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0);
}

/** The checks of one non-group value that is there (blank values are checked by required). */
function checkValue(field: FormField, value: AnswerValue, today: string): Check[] {
  const text = textOf(value);
  const mustBeText = (check: (t: string) => Check | undefined, key: string): Check[] => {
    const found = text === undefined ? { messageKey: key } : check(text);
    return found === undefined ? [] : [found];
  };
  switch (field.kind) {
    case 'text': return mustBeText((t) => checkText(field, t), 'forms.error.required');
    case 'number': return mustBeText((t) => checkNumber(field, t), 'forms.error.number');
    case 'id-number': return mustBeText((t) => normaliseIdNumber(t) === undefined
      ? { messageKey: 'forms.error.idNumber' } : undefined, 'forms.error.idNumber');
    case 'phone': return mustBeText((t) => normalisePhone(t) === undefined
      ? { messageKey: 'forms.error.phone' } : undefined, 'forms.error.phone');
    case 'email': return mustBeText((t) => isEmailAddress(t) ? undefined
      : { messageKey: 'forms.error.email' }, 'forms.error.email');
    case 'yes-no': return typeof value === 'boolean' ? [] : [{ messageKey: 'forms.error.choice' }];
    case 'choice': return [checkChoice(field, value)].filter((check) => check !== undefined);
    case 'date': return [checkDate(field, value, today)].filter((check) => check !== undefined);
    case 'address': return checkAddress(value);
    case 'file': return [checkFile(field, value)].filter((check) => check !== undefined);
    case 'group': return [];
  }
}

/** Errors for one field's value at path (not its group items: see the answers checks). */
export function checkField(field: FormField, path: string, value: AnswerValue | undefined,
  options: CheckOptions = {}): FieldError[] {
  if (field.kind === 'group') return [];
  if (isBlank(value)) {
    if (!field.required) return [];
    const target = field.kind === 'address' ? `${path}.line1` : path;
    return [{ field: target, messageKey: requiredKey(field) }];
  }
  return checkValue(field, value as AnswerValue, options.today ?? todayInKenya())
    .map((check) => ({
    field: check.part === undefined ? path : `${path}.${check.part}`,
    messageKey: check.messageKey,
    ...(check.params === undefined ? {} : { params: check.params }),
  }));
}

/** Errors for the number of items of a group. */
export function checkGroupCount(field: FormField, path: string, count: number): FieldError[] {
  if (count === 0 && !field.required) return [];
  const min = field.minItems ?? (field.required ? 1 : 0);
  if (count < min) {
    return [{ field: path, messageKey: 'forms.error.groupTooFew', params: { min } }];
  }
  const max = field.maxItems ?? formLimits.groupItemsMax;
  if (count > max) {
    return [{ field: path, messageKey: 'forms.error.groupTooMany', params: { max } }];
  }
  return [];
}
