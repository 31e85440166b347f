/**
 * The site's own pages (help, contact, privacy, accessibility, terms) as data: each page is
 * sections of paragraphs and lists whose copy lives in locales/site.*.json under
 * `site.<page>.<section>.*`. The views render any page from this outline, so adding a paragraph
 * is a locale line and a count here, and a test checks every key exists in both languages.
 */
import { webPaths } from '#web/index.ts';

export type SiteSection = Readonly<{
  id: string;
  /** How many paragraphs (`.p1`...) come first. */
  paragraphs: number;
  /** How many list items (`.li1`...) follow, if any, and whether they are steps. */
  items?: number;
  ordered?: boolean;
  /** How many paragraphs (`.after1`...) follow the list. */
  after?: number;
}>;

export type SitePageId = 'help' | 'contact' | 'privacy' | 'accessibility' | 'terms';

export type SitePage = Readonly<{
  id: SitePageId;
  path: string;
  sections: readonly SiteSection[];
}>;

export const sitePages: readonly SitePage[] = [
  { id: 'help', path: webPaths.help, sections: [
    { id: 'pay', paragraphs: 1, items: 7, ordered: true, after: 2 },
    { id: 'prompt', paragraphs: 2 },
    { id: 'unpaid', paragraphs: 1, items: 4, ordered: true, after: 1 },
    { id: 'twice', paragraphs: 2 },
    { id: 'times', paragraphs: 1, items: 4 },
    { id: 'account', paragraphs: 3 },
    { id: 'receipts', paragraphs: 2 },
  ] },
  { id: 'contact', path: webPaths.contact, sections: [
    { id: 'first', paragraphs: 1, items: 3 },
    { id: 'desk', paragraphs: 2, items: 4 },
    { id: 'agency', paragraphs: 1 },
    { id: 'never', paragraphs: 2 },
  ] },
  { id: 'privacy', path: webPaths.privacy, sections: [
    { id: 'who', paragraphs: 2 },
    { id: 'what', paragraphs: 1, items: 5 },
    { id: 'why', paragraphs: 1, items: 4 },
    { id: 'shared', paragraphs: 2 },
    { id: 'kept', paragraphs: 2 },
    { id: 'rights', paragraphs: 1, items: 6, after: 1 },
    { id: 'complain', paragraphs: 2 },
  ] },
  { id: 'accessibility', path: webPaths.accessibility, sections: [
    { id: 'aim', paragraphs: 2 },
    { id: 'can', paragraphs: 1, items: 6 },
    { id: 'status', paragraphs: 2 },
    { id: 'limits', paragraphs: 1, items: 3 },
    { id: 'report', paragraphs: 2 },
    { id: 'testing', paragraphs: 1 },
  ] },
  { id: 'terms', path: webPaths.terms, sections: [
    { id: 'about', paragraphs: 2 },
    { id: 'account', paragraphs: 1, items: 4 },
    { id: 'payments', paragraphs: 1, items: 4 },
    { id: 'use', paragraphs: 1, items: 4 },
    { id: 'availability', paragraphs: 2 },
    { id: 'law', paragraphs: 2 },
  ] },
];

/** Every message key a page uses, in order (for the views and the locale test). */
export function sitePageKeys(page: SitePage): string[] {
  const base = `site.${page.id}`;
  const keys = [`${base}.title`, `${base}.lede`];
  for (const section of page.sections) {
    const prefix = `${base}.${section.id}`;
    keys.push(`${prefix}.title`);
    for (let index = 1; index <= section.paragraphs; index += 1) keys.push(`${prefix}.p${index}`);
    for (let index = 1; index <= (section.items ?? 0); index += 1) {
      keys.push(`${prefix}.li${index}`);
    }
    for (let index = 1; index <= (section.after ?? 0); index += 1) {
      keys.push(`${prefix}.after${index}`);
    }
  }
  return keys;
}
