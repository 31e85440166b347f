/** Dates and names as identity's pages show them, in the page's language and Kenyan time. */
import type { Language } from '#web/index.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(language: Language, withTime: boolean): Intl.DateTimeFormat {
  const key = `${language}:${withTime ? 'time' : 'date'}`;
  let found = formatters.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(language === 'sw' ? 'sw-KE' : 'en-KE', {
      dateStyle: 'medium', ...(withTime ? { timeStyle: 'short' } : {}),
      timeZone: 'Africa/Nairobi',
    });
    formatters.set(key, found);
  }
  return found;
}

export function formatDateTime(value: Date, language: Language): string {
  return formatter(language, true).format(value);
}

/** A calendar date (birth date): shown as stored, whatever the time zone. */
export function formatDate(value: Date, language: Language): string {
  return new Intl.DateTimeFormat(language === 'sw' ? 'sw-KE' : 'en-KE', {
    dateStyle: 'long', timeZone: 'UTC',
  }).format(value);
}

export function fullName(parts: Readonly<{
  first_name: string | null; middle_name: string | null; last_name: string | null;
  business_name: string | null;
}>): string {
  if (parts.business_name !== null) return parts.business_name;
  return [parts.first_name, parts.middle_name, parts.last_name]
    .filter((part) => part !== null && part !== '').join(' ');
}
