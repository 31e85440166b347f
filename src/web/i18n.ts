/**
 * Copy lives in locale files, English and Swahili; templates hold no literal strings.
 * Each module ships its own bundle (locales/en.json + sw.json); they are joined at start.
 * A missing key is a bug: it throws, and a test checks that both languages have every key.
 */

export const languages = ['en', 'sw'] as const;
export type Language = (typeof languages)[number];

export type Messages = Readonly<Record<string, string>>;
export type MessageBundle = Readonly<Record<Language, Messages>>;

export type Params = Readonly<Record<string, string | number | bigint>>;
export type Translate = (key: string, params?: Params) => string;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

export function joinBundles(bundles: readonly MessageBundle[]): MessageBundle {
  const joined: Record<Language, Record<string, string>> = { en: {}, sw: {} };
  for (const bundle of bundles) {
    for (const language of languages) {
      for (const [key, text] of Object.entries(bundle[language])) {
        if (key in joined[language]) throw new Error(`message key ${key} is declared twice`);
        joined[language][key] = text;
      }
    }
  }
  return joined;
}

export function translator(bundle: MessageBundle, language: Language): Translate {
  const messages = bundle[language];
  return (key, params) => {
    const text = messages[key];
    if (text === undefined) throw new Error(`missing ${language} message "${key}"`);
    if (params === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };
}

/** Picks a language from a cookie value, then Accept-Language, then English. */
export function negotiateLanguage(
  cookieValue: string | undefined,
  acceptLanguage: string | undefined,
): Language {
  if (isLanguage(cookieValue)) return cookieValue;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const quality = rest.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase().slice(0, 2), q: quality ? Number(quality.split('=')[1]) : 1 };
    })
    .filter((entry) => Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const found = wanted.find((entry) => isLanguage(entry.tag));
  return found !== undefined && isLanguage(found.tag) ? found.tag : 'en';
}
