/** Search results: the count, plain GET filters, the hits, help when there are none. */
import {
  breadcrumbs,
  html,
  pagination,
  renderPage,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import type { AgencySummary, MinistrySummary } from '../catalogue-types.ts';
import type { ServiceSearchResult } from '../search/index.ts';
import { cataloguePaths } from './catalogue-paths.ts';
import { dataCredit, itemList, nameOf, searchForm } from './page-components.ts';
import type { SearchPageQuery } from './page-query.ts';

export type SearchPageModel = Readonly<{
  query: SearchPageQuery;
  result: ServiceSearchResult;
  ministries: readonly MinistrySummary[];
  /** The chosen ministry's agencies, for the agency filter; empty when none is chosen. */
  agencies: readonly AgencySummary[];
  /** The ministry filter as shown: the one asked for, or the chosen agency's. */
  ministrySlug: string | undefined;
  /** Whether the catalogue holds imported rows (the hits may be some of them). */
  showsImportedData: boolean;
}>;

type Option = Readonly<{ value: string; label: SafeHtml }>;

function select(
  name: string,
  label: string,
  options: readonly Option[],
  selected: string | undefined,
): SafeHtml {
  return html`<div class="field"><label for="filter-${name}">${label}</label>
<select id="filter-${name}" name="${name}">${options.map((option) => html`<option
 value="${option.value}"${option.value === (selected ?? '') ? html` selected` : html``}>${
  option.label}</option>`)}</select></div>`;
}

function filters(context: PageContext, model: SearchPageModel): SafeHtml {
  const { t, language } = context;
  const ministryOptions = [
    { value: '', label: html`${t('cataloguePages.search.ministry.any')}` },
    ...model.ministries.map((m) => ({ value: m.slug, label: html`${nameOf(language, m).text}` })),
  ];
  const agencySelect = model.agencies.length === 0 ? html`` : select('agency',
    t('cataloguePages.search.agency'), [
      { value: '', label: html`${t('cataloguePages.search.agency.any')}` },
      ...model.agencies.map((a) => ({ value: a.slug, label: html`${nameOf(language, a).text}` })),
    ], model.query.agencySlug);
  const filtered = model.ministrySlug !== undefined || model.query.agencySlug !== undefined;
  return html`<fieldset class="filters"><legend>${t('cataloguePages.search.filters')}</legend>
${select('ministry', t('cataloguePages.search.ministry'), ministryOptions, model.ministrySlug)}
${agencySelect}
<div class="field"><button type="submit" class="secondary">${
  t('cataloguePages.search.apply')}</button></div>
${filtered ? html`<p class="field"><a href="${cataloguePaths.search({ q: model.query.text })}">${
  t('cataloguePages.search.clear')}</a></p>` : html``}
</fieldset>`;
}

function countText(context: PageContext, total: number): string {
  const { t } = context;
  if (total === 0) return t('cataloguePages.search.count.none');
  if (total === 1) return t('cataloguePages.search.count.one');
  return t('cataloguePages.search.count.other', { count: total });
}

function noResults(context: PageContext): SafeHtml {
  const { t } = context;
  return html`<div class="notice"><h3>${t('cataloguePages.search.none.title')}</h3>
<p>${t('cataloguePages.search.none.intro')}</p>
<ul>
<li>${t('cataloguePages.search.none.spelling')}</li>
<li>${t('cataloguePages.search.none.fewerWords')}</li>
<li>${t('cataloguePages.search.none.filters')}</li>
<li><a href="${cataloguePaths.ministries}">${t('cataloguePages.search.none.browse')}</a></li>
</ul></div>`;
}

function hits(context: PageContext, model: SearchPageModel): SafeHtml {
  const { t } = context;
  const { result, query } = model;
  if (result.total === 0) return noResults(context);
  if (result.items.length === 0) {
    const first = cataloguePaths.search({
      q: query.text, ministry: query.ministrySlug, agency: query.agencySlug });
    return html`<p>${t('cataloguePages.search.pageEmpty')}</p>
<p><a href="${first}">${t('cataloguePages.search.firstPage')}</a></p>`;
  }
  // The engine names hits in the page's language where it can; it does not say which.
  const items = result.items.map((hit) => ({
    href: cataloguePaths.service(hit.slug),
    name: { text: hit.name, language: context.language },
    summary: hit.summary === null ? undefined : { text: hit.summary, language: context.language },
    meta: html`${hit.agencyName} · ${hit.ministryName}`,
  }));
  return itemList(context, items, 3);
}

export function renderSearchPage(context: PageContext, model: SearchPageModel): string {
  const { t } = context;
  const { query, result } = model;
  const title = query.text === '' ? t('cataloguePages.search.allServices')
    : t('cataloguePages.search.title');
  const pages = pagination(t, {
    page: result.page,
    pageSize: result.pageSize,
    total: result.total,
    hrefFor: (page) => cataloguePaths.search({
      q: query.text, ministry: query.ministrySlug, agency: query.agencySlug, page }),
  });
  return renderPage(context, {
    title: query.text === '' ? title : `${title}: ${query.text}`,
    footerNote: model.showsImportedData && result.items.length > 0
      ? dataCredit(context) : undefined,
    main: html`${breadcrumbs(t, [{ href: cataloguePaths.home, label: t('site.home') }])}
<h1>${title}</h1>
${searchForm(context, { text: query.text }, filters(context, model))}
<section aria-labelledby="results-count">
<h2 id="results-count">${countText(context, result.total)}</h2>
${query.text === '' ? html`` :
  html`<p class="muted">${t('cataloguePages.search.for', { q: query.text })}</p>`}
${hits(context, model)}
${pages}
</section>`,
  });
}

