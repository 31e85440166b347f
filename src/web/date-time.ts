/**
 * A date and time as people in Kenya read it: East Africa Time whatever the server's zone, in
 * the page's language (en-KE or sw-KE), to the minute or to the second. One formatter per
 * language and precision, made once: building an Intl formatter is costly on a busy page.
 */
import type { Language } from './i18n.ts';

export type TimePrecision = 'minute' | 'second';

const formatters = new Map<string, Intl.DateTimeFormat>();

export function kenyaDateTime(value: Date, language: Language,
  precision: TimePrecision = 'minute'): string {
  const key = `${language}:${precision}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(language === 'sw' ? 'sw-KE' : 'en-KE', {
      dateStyle: 'medium', timeStyle: precision === 'second' ? 'medium' : 'short',
      timeZone: 'Africa/Nairobi',
    });
    formatters.set(key, formatter);
  }
  return formatter.format(value);
}
