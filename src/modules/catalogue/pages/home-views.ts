/** The home page and the about page. */
import {
  html,
  langAttribute,
  renderPage,
  summaryList,
  webPaths,
  type PageContext,
} from '#web/index.ts';
import { catalogueSource } from '../catalogue-source.ts';
import { cataloguePaths } from './catalogue-paths.ts';
import { inline, itemList, nameOf, searchForm } from './page-components.ts';
import type { PopularService } from './popular-services-repo.ts';

export function renderHomePage(
  context: PageContext,
  popular: readonly PopularService[],
): string {
  const { t, language } = context;
  const items = popular.map((service) => ({
    href: cataloguePaths.service(service.slug),
    name: nameOf(language, service),
    summary: undefined,
    meta: inline(context, nameOf(language, service.agency)),
  }));
  return renderPage(context, {
    title: t('cataloguePages.home.title'),
    main: html`<h1>${t('cataloguePages.home.title')}</h1>
<p class="lede">${t('cataloguePages.home.lede')}</p>
${searchForm(context, { text: '' })}
<section aria-labelledby="popular-title">
<h2 id="popular-title">${t('cataloguePages.home.popular')}</h2>
${items.length === 0 ? html`<p>${t('cataloguePages.home.noPopular')}</p>` :
  itemList(context, items, 3)}
<p><a href="${cataloguePaths.search()}">${t('cataloguePages.home.allServices')}</a></p>
</section>
<section aria-labelledby="browse-title">
<h2 id="browse-title">${t('cataloguePages.home.browse.title')}</h2>
<p>${t('cataloguePages.home.browse.body')}</p>
<p><a href="${cataloguePaths.ministries}">${t('cataloguePages.home.browse.link')}</a></p>
</section>`,
  });
}

export function renderAboutPage(context: PageContext): string {
  const { t } = context;
  const english = langAttribute(context.language, 'en');
  const source = summaryList([
    [t('cataloguePages.about.data.dataset'),
      html`<a href="${catalogueSource.url}"${english}>${catalogueSource.title}</a>`],
    [t('cataloguePages.about.data.author'), catalogueSource.author],
    [t('cataloguePages.about.data.licence'),
      html`<a href="${catalogueSource.licenceUrl}" rel="license">${catalogueSource.licence}</a>`],
  ]);
  return renderPage(context, {
    title: t('cataloguePages.about.title'),
    main: html`<h1>${t('cataloguePages.about.title')}</h1>
<p class="lede">${t('cataloguePages.about.lede')}</p>
<p>${t('cataloguePages.about.what')}</p>
<p>${t('cataloguePages.about.ledger')}</p>
<p><a href="${webPaths.transparency}">${t('cataloguePages.about.transparency')}</a></p>
<p>${t('cataloguePages.about.open')}</p>
<section aria-labelledby="data">
<h2 id="data">${t('cataloguePages.about.data.title')}</h2>
<p>${t('cataloguePages.about.data.body')}</p>
${source}
<p>${t('cataloguePages.about.data.changes')}</p>
<p>${t('cataloguePages.about.data.unofficial')}</p>
</section>`,
  });
}
