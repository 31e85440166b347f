/** Pieces the catalogue's pages share: the search form, list items, the data credit. */
import {
  html,
  langAttribute,
  localised,
  messageWithMarkup,
  pickText,
  type Language,
  type LocalisedText,
  renderPage,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import { catalogueSource } from '../catalogue-source.ts';
import type { CatalogueReference } from '../catalogue-types.ts';
import { cataloguePaths } from './catalogue-paths.ts';
import { searchTextLengthMax, type QueryProblem } from './page-query.ts';

/** A catalogue row's name in the page's language, English where there is no translation. */
export function nameOf(language: Language, row: CatalogueReference): LocalisedText {
  return pickText(language, { en: row.nameEn, sw: row.nameSw });
}

export function descriptionOf(
  language: Language,
  row: Readonly<{ descriptionEn: string | null; descriptionSw: string | null }>,
): LocalisedText | undefined {
  const text = pickText(language, { en: row.descriptionEn, sw: row.descriptionSw });
  return text.text.trim() === '' ? undefined : text;
}

/** A paragraph in its own language (lang="en" on a Swahili page showing English). */
export function paragraph(
  context: PageContext,
  value: LocalisedText | undefined,
  className?: string,
): SafeHtml {
  if (value === undefined) return html``;
  const classes = className === undefined ? html`` : html` class="${className}"`;
  return html`<p${classes}${langAttribute(context.language, value.language)}>${value.text}</p>`;
}

export function link(context: PageContext, href: string, text: LocalisedText): SafeHtml {
  return html`<a href="${href}"${langAttribute(context.language, text.language)}>${text.text}</a>`;
}

export type SearchFormValues = Readonly<{ text: string }>;

/** The search box: a plain GET form, so it works with JavaScript off. */
export function searchForm(
  context: PageContext,
  values: SearchFormValues,
  filters: SafeHtml = html``,
): SafeHtml {
  const { t } = context;
  return html`<form class="search" action="${cataloguePaths.search()}" method="get" role="search">
<label for="search-text">${t('cataloguePages.search.label')}</label>
<p class="hint" id="search-hint">${t('cataloguePages.search.hint')}</p>
<div class="search-row">
<input type="search" id="search-text" name="q" value="${values.text}"
 maxlength="${searchTextLengthMax}" aria-describedby="search-hint" spellcheck="true">
<button type="submit">${t('cataloguePages.search.button')}</button>
</div>
${filters}
</form>`;
}

export type ServiceItem = Readonly<{
  href: string;
  name: LocalisedText;
  summary: LocalisedText | undefined;
  meta: SafeHtml | undefined;
}>;

/** A list of services (or agencies, or ministries): each a heading link, a line, a note. */
export function itemList(
  context: PageContext,
  items: readonly ServiceItem[],
  headingLevel: 2 | 3,
): SafeHtml {
  const heading = (item: ServiceItem) => headingLevel === 2
    ? html`<h2>${link(context, item.href, item.name)}</h2>`
    : html`<h3>${link(context, item.href, item.name)}</h3>`;
  return html`<ul class="results">${items.map((item) => html`<li>${heading(item)}
${paragraph(context, item.summary, 'summary-text')}
${item.meta === undefined ? html`` : html`<p class="muted">${item.meta}</p>`}</li>`)}</ul>`;
}

/** The line CC BY 4.0 asks for, on every page that shows imported (eCitizen) rows. */
export function dataCredit(context: PageContext): SafeHtml {
  const { t, language } = context;
  const title = html`<a href="${catalogueSource.url}"${langAttribute(language, 'en')}>${
    catalogueSource.title}</a>`;
  const licence = html`<a href="${catalogueSource.licenceUrl}" rel="license">${
    catalogueSource.licence}</a>`;
  return html`${messageWithMarkup(t, 'cataloguePages.credit.text', {
    title, author: catalogueSource.author, licence,
  })} <a href="${cataloguePaths.aboutData}">${t('cataloguePages.credit.link')}</a>`;
}

/** A short text that may be English on a Swahili page, inline. */
export function inline(context: PageContext, value: LocalisedText): SafeHtml {
  return localised(context.language, value);
}

const dateFormats = new Map<Language, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD' as people read it: "1 July 2024", "1 Julai 2024". */
export function formatCalendarDate(date: string, language: Language): string {
  let format = dateFormats.get(language);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(language === 'sw' ? 'sw-KE' : 'en-KE',
      { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(language, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}

/** The 400 page: which value was wrong and how to go on, in the visitor's language. */
export function renderBadRequestPage(context: PageContext, problem: QueryProblem): string {
  const { t } = context;
  return renderPage(context, {
    title: t('cataloguePages.problem.title'),
    main: html`<h1>${t('cataloguePages.problem.title')}</h1>
<div class="error-summary" role="alert"><p>${t(problem.messageKey, problem.params)}</p></div>
<p><a href="${cataloguePaths.search()}">${t('cataloguePages.problem.searchAgain')}</a></p>`,
  });
}
