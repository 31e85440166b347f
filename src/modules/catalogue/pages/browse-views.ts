/** Browsing the catalogue: all ministries, one ministry's agencies, one agency's services. */
import {
  breadcrumbs,
  html,
  pagination,
  renderPage,
  type Crumb,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import type {
  Agency,
  AgencySummary,
  Ministry,
  MinistrySummary,
  Page,
  ServiceSummary,
} from '../catalogue-types.ts';
import { cataloguePaths } from './catalogue-paths.ts';
import {
  dataCredit,
  descriptionOf,
  inline,
  itemList,
  nameOf,
  paragraph,
} from './page-components.ts';

type Row = Readonly<{ origin: string }>;

/** The credit line when any row on the page came from the eCitizen dataset. */
function creditFor(context: PageContext, rows: readonly Row[]): SafeHtml | undefined {
  return rows.some((row) => row.origin === 'ecitizen') ? dataCredit(context) : undefined;
}

function home(context: PageContext): Crumb {
  return { href: cataloguePaths.home, label: context.t('site.home') };
}

function ministriesCrumb(context: PageContext): Crumb {
  return { href: cataloguePaths.ministries, label: context.t('cataloguePages.ministries.title') };
}

function externalLink(url: string | null, label: string): SafeHtml {
  return url === null || !/^https?:\/\//.test(url) ? html`` :
    html`<p><a href="${url}" rel="external">${label}</a></p>`;
}

export function renderMinistriesPage(
  context: PageContext,
  ministries: readonly MinistrySummary[],
): string {
  const { t, language } = context;
  const items = ministries.map((ministry) => ({
    href: cataloguePaths.ministry(ministry.slug),
    name: nameOf(language, ministry),
    summary: undefined,
    meta: html`${t('cataloguePages.counts', {
      agencies: ministry.agencyCount, services: ministry.serviceCount })}`,
  }));
  return renderPage(context, {
    title: t('cataloguePages.ministries.title'),
    footerNote: creditFor(context, ministries),
    main: html`${breadcrumbs(t, [home(context)])}
<h1>${t('cataloguePages.ministries.title')}</h1>
<p class="lede">${t('cataloguePages.ministries.lede')}</p>
${items.length === 0 ? html`<p>${t('cataloguePages.ministries.none')}</p>` :
  itemList(context, items, 2)}`,
  });
}

export function renderMinistryPage(
  context: PageContext,
  ministry: Ministry,
  agencies: Page<AgencySummary>,
): string {
  const { t, language } = context;
  const name = nameOf(language, ministry);
  const items = agencies.items.map((agency) => ({
    href: cataloguePaths.agency(agency.slug),
    name: nameOf(language, agency),
    summary: descriptionOf(language, agency),
    meta: html`${t('cataloguePages.serviceCount', { services: agency.serviceCount })}`,
  }));
  return renderPage(context, {
    title: name.text,
    footerNote: creditFor(context, [ministry, ...agencies.items]),
    main: html`${breadcrumbs(t, [home(context), ministriesCrumb(context)])}
<h1>${inline(context, name)}</h1>
${paragraph(context, descriptionOf(language, ministry), 'lede')}
${externalLink(ministry.url, t('cataloguePages.ministry.website'))}
<p><a href="${cataloguePaths.search({ ministry: ministry.slug })}">${
  t('cataloguePages.ministry.search')}</a></p>
<h2>${t('cataloguePages.ministry.agencies')}</h2>
${items.length === 0 ? html`<p>${t('cataloguePages.ministry.noAgencies')}</p>` :
  itemList(context, items, 3)}
${pagination(t, { ...agencies,
  hrefFor: (page) => cataloguePaths.ministry(ministry.slug, page) })}`,
  });
}

export function renderAgencyPage(
  context: PageContext,
  agency: Agency,
  services: Page<ServiceSummary>,
): string {
  const { t, language } = context;
  const name = nameOf(language, agency);
  const items = services.items.map((service) => ({
    href: cataloguePaths.service(service.slug),
    name: nameOf(language, service),
    summary: descriptionOf(language, service),
    meta: undefined,
  }));
  const crumbs = [home(context), ministriesCrumb(context), {
    href: cataloguePaths.ministry(agency.ministry.slug),
    label: inline(context, nameOf(language, agency.ministry)),
  }];
  return renderPage(context, {
    title: name.text,
    footerNote: creditFor(context, [agency, ...services.items]),
    main: html`${breadcrumbs(t, crumbs)}
<h1>${inline(context, name)}</h1>
${paragraph(context, descriptionOf(language, agency), 'lede')}
${agency.department === null ? html`` : html`<p>${t('cataloguePages.agency.department')}: ${
  inline(context, nameOf(language, agency.department))}</p>`}
${externalLink(agency.url, t('cataloguePages.agency.website'))}
<p><a href="${cataloguePaths.search({ agency: agency.slug })}">${
  t('cataloguePages.agency.search')}</a></p>
<h2>${t('cataloguePages.agency.services')} (${services.total})</h2>
${items.length === 0 ? html`<p>${t('cataloguePages.agency.noServices')}</p>` :
  itemList(context, items, 3)}
${pagination(t, { ...services, hrefFor: (page) => cataloguePaths.agency(agency.slug, page) })}`,
  });
}
