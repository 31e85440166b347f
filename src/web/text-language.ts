/**
 * Text whose language may differ from the page's: a Swahili page showing a name that exists
 * only in English marks that element lang="en", so screen readers pronounce it right
 * (WCAG 3.1.2, Language of Parts).
 */
import { html, type SafeHtml } from './html.ts';
import type { Language } from './i18n.ts';

export type LocalisedText = Readonly<{ text: string; language: Language }>;

/** The text in the page's language where there is one, else the English original. */
export function pickText(
  language: Language,
  translations: Readonly<Partial<Record<Language, string | null | undefined>>>,
): LocalisedText {
  const wanted = translations[language];
  if (wanted !== undefined && wanted !== null && wanted.trim() !== '') {
    return { text: wanted, language };
  }
  return { text: translations.en ?? '', language: 'en' };
}

/** ` lang="en"` when the text's language is not the page's; nothing otherwise. */
export function langAttribute(pageLanguage: Language, textLanguage: Language): SafeHtml {
  return pageLanguage === textLanguage ? html`` : html` lang="${textLanguage}"`;
}

/** The text, wrapped in a span carrying its language when that differs from the page's. */
export function localised(pageLanguage: Language, value: LocalisedText): SafeHtml {
  return pageLanguage === value.language
    ? html`${value.text}`
    : html`<span lang="${value.language}">${value.text}</span>`;
}
