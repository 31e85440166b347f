/**
 * An application form as data: pages of fields, each field of a kind the platform knows how
 * to render, read and check. Answers are plain JSON, so drafts can be stored as they are.
 */

export type LocalisedText = Readonly<{ en: string; sw: string }>;

export type FieldKind = 'text' | 'number' | 'date' | 'choice' | 'yes-no' | 'id-number' | 'phone'
  | 'email' | 'address' | 'file' | 'group';

/** Shown only when the named field's answer equals `equals` (a yes/no answer is a boolean). */
export type ShowWhen = Readonly<{ field: string; equals: string | boolean }>;

export type ChoiceOption = Readonly<{ value: string; label: LocalisedText }>;

export type FormField = Readonly<{
  id: string;
  kind: FieldKind;
  label: LocalisedText;
  hint?: LocalisedText;
  required: boolean;
  /** choice: the options; with `multiple`, any number of them may be ticked. */
  options?: readonly ChoiceOption[];
  multiple?: boolean;
  /** number: the smallest and largest allowed. */
  min?: number;
  max?: number;
  /** text: the longest answer, in characters (default textLengthMax). */
  maxLength?: number;
  /** file: the MIME types allowed, checked against the file's bytes. */
  accept?: readonly string[];
  maxBytes?: number;
  /** group: the fields of one item, and how many items. */
  fields?: readonly FormField[];
  minItems?: number;
  maxItems?: number;
  /** date: on or before today ("past"), or after today ("future"). */
  dates?: 'past' | 'future';
  /** text: the browser's autocomplete token (e.g. "name", "given-name"). */
  autocomplete?: string;
  showWhen?: ShowWhen;
}>;

export type FormPage = Readonly<{
  id: string;
  title: LocalisedText;
  fields: readonly FormField[];
  showWhen?: ShowWhen;
}>;

export type FormDefinition = Readonly<{
  version: number;
  pages: readonly FormPage[];
  /** The field holding the second party's ID number, when the form needs a second party. */
  secondParty?: Readonly<{ idNumberField: string; nameField?: string }>;
  /** The field whose answer names the holder on the issued document (default: account name). */
  holderNameField?: string;
}>;

export type StoredFileRef = Readonly<{ fileId: string; name: string; type: string; size: number }>;

/**
 * Answers: JSON-serialisable. Files are stored refs; groups are arrays of answer objects; a
 * date is "YYYY-MM-DD" once valid, else its parts as typed; an address is an object of lines.
 * Values as typed are kept even when invalid, so the form can be shown again.
 */
export type AnswerValue = string | boolean | StoredFileRef | readonly AnswerValue[]
  | { readonly [key: string]: AnswerValue };
export type Answers = Readonly<Record<string, AnswerValue>>;

export type FieldError = Readonly<{
  /** The field's path, e.g. "surname", "guarantors.0.name", "homeAddress.town". */
  field: string;
  messageKey: string;
  params?: Readonly<Record<string, string | number>>;
}>;

export type PostedFile = Readonly<{ field: string; stored: StoredFileRef }>;
export type PostedForm = Readonly<{
  fields: Readonly<Record<string, string | readonly string[]>>;
  files: readonly PostedFile[];
}>;

/** The parts of an address answer. */
export const addressParts = ['line1', 'line2', 'town', 'county', 'postcode'] as const;
export type AddressPart = (typeof addressParts)[number];
export const dateParts = ['day', 'month', 'year'] as const;

/** Limits on a form definition and its answers (STYLE 27). */
export const formLimits = {
  pagesMax: 20,
  fieldsPerPageMax: 30,
  groupItemsMax: 10,
  optionsMax: 50,
  textLengthDefault: 200,
  textLengthMax: 2_000,
  fileBytesMax: 10 * 1024 * 1024,
  idLengthMax: 40,
} as const;

export function isStoredFileRef(value: AnswerValue | undefined): value is StoredFileRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    typeof (value as Record<string, unknown>).fileId === 'string' &&
    typeof (value as Record<string, unknown>).size === 'number';
}

export function isAnswerObject(value: AnswerValue | undefined):
value is { readonly [key: string]: AnswerValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
