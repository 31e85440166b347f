/** Small builders the demo forms are written with, so the forms read as data. */
import type { ChoiceOption, FormField, LocalisedText } from './form-types.ts';

export function text(en: string, sw: string): LocalisedText {
  return { en, sw };
}

type Extra = Partial<Omit<FormField, 'id' | 'kind' | 'label'>>;

export function field(id: string, kind: FormField['kind'], label: LocalisedText,
  extra: Extra = {}): FormField {
  return { id, kind, label, required: true, ...extra };
}

export function option(value: string, en: string, sw: string): ChoiceOption {
  return { value, label: { en, sw } };
}

export const megabyte = 1024 * 1024;

export const fullNameField = (id: string, label: LocalisedText, extra: Extra = {}) =>
  field(id, 'text', label, { maxLength: 100, autocomplete: 'name', ...extra });

export const idNumberHint = text('The number on the front of the national identity card, ' +
  '7 or 8 digits', 'Nambari iliyo mbele ya kitambulisho cha taifa, tarakimu 7 au 8');

export const phoneHint = text('For example, 0712 345 678', 'Kwa mfano, 0712 345 678');

export const maritalStatusOptions: readonly ChoiceOption[] = [
  option('never-married', 'Never married', 'Hajawahi kuoa au kuolewa'),
  option('divorced', 'Divorced', 'Talaka'),
  option('widowed', 'Widowed', 'Mjane au mgane'),
];
