/**
 * The service page: what it is, what you need, what it costs, how long it takes, and the one
 * way in: "Apply now" for a service with an application form (paying is a step of applying,
 * at /services/<slug>/apply, the applications module), "Pay" for a fee paid on its own (a
 * fine, a search fee), or where to go when neither is online yet.
 */
import { format, type Money } from '#platform/money/index.ts';
import {
  breadcrumbs,
  html,
  langAttribute,
  renderPage,
  summaryList,
  type Crumb,
  webPaths,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import type { Service, ServiceQuote } from '../catalogue-types.ts';
import { cataloguePaths } from './catalogue-paths.ts';
import {
  dataCredit,
  descriptionOf,
  formatCalendarDate,
  inline,
  link,
  nameOf,
  paragraph,
} from './page-components.ts';

/** What the page knows of the fee: a full quote, a fee without an access fee, or none. */
export type FeeView =
  | Readonly<{ kind: 'quoted'; quote: ServiceQuote }>
  | Readonly<{ kind: 'serviceFeeOnly'; serviceFee: Money; effectiveFrom: string }>
  | Readonly<{ kind: 'none' }>;

function crumbsFor(context: PageContext, service: Service): Crumb[] {
  const { t, language } = context;
  return [
    { href: cataloguePaths.home, label: t('site.home') },
    { href: cataloguePaths.ministries, label: t('cataloguePages.ministries.title') },
    { href: cataloguePaths.ministry(service.ministry.slug),
      label: inline(context, nameOf(language, service.ministry)) },
    { href: cataloguePaths.agency(service.agency.slug),
      label: inline(context, nameOf(language, service.agency)) },
  ];
}

function slaText(context: PageContext, days: number | null): string {
  const { t } = context;
  if (days === null) return t('cataloguePages.service.sla.none');
  if (days === 0) return t('cataloguePages.service.sla.zero');
  if (days === 1) return t('cataloguePages.service.sla.one');
  return t('cataloguePages.service.sla.other', { days });
}

function details(context: PageContext, service: Service): SafeHtml {
  const { t, language } = context;
  const eligible = service.eligibleAccountTypes
    .map((type) => t(`cataloguePages.service.eligible.${type}`)).join(', ');
  return summaryList([
    [t('cataloguePages.service.agency'), link(context,
      cataloguePaths.agency(service.agency.slug), nameOf(language, service.agency))],
    [t('cataloguePages.service.ministry'), link(context,
      cataloguePaths.ministry(service.ministry.slug), nameOf(language, service.ministry))],
    [t('cataloguePages.service.sla'), slaText(context, service.slaDays)],
    [t('cataloguePages.service.delivery'),
      t(`cataloguePages.service.delivery.${service.deliveryMode}`)],
    [t('cataloguePages.service.eligible'), eligible],
    [t('cataloguePages.service.onboarding'),
      t(`cataloguePages.service.onboarding.${service.onboardingStatus}`)],
  ]);
}

function requirements(context: PageContext, service: Service): SafeHtml {
  const { t, language } = context;
  const translated = language === 'sw' && service.requirementsSw.length > 0;
  const items = translated ? service.requirementsSw : service.requirementsEn;
  if (items.length === 0) return html`<p>${t('cataloguePages.service.noRequirements')}</p>`;
  return html`<ul class="requirements"${langAttribute(language, translated ? 'sw' : 'en')}>${
    items.map((item) => html`<li>${item}</li>`)}</ul>`;
}

function feeRow(label: string, amount: Money, context: PageContext, total = false): SafeHtml {
  const cell = html`${format(amount, context.language)}`;
  return total
    ? html`<tr class="total"><th scope="row">${label}</th><td class="num"><strong>${
      cell}</strong></td></tr>`
    : html`<tr><th scope="row">${label}</th><td class="num">${cell}</td></tr>`;
}

function fees(context: PageContext, fee: FeeView): SafeHtml {
  const { t, language } = context;
  if (fee.kind === 'none') return html`<p>${t('cataloguePages.service.fees.none')}</p>`;
  const serviceFee = fee.kind === 'quoted' ? fee.quote.serviceFee : fee.serviceFee;
  const since = fee.kind === 'quoted' ? fee.quote.feeVersion.effectiveFrom : fee.effectiveFrom;
  const gazette = fee.kind === 'quoted' ? fee.quote.feeVersion.gazetteReference : null;
  const rows = fee.kind === 'quoted'
    ? html`${feeRow(t('cataloguePages.service.fees.serviceFee'), serviceFee, context)}
${feeRow(t('cataloguePages.service.fees.accessFee'), fee.quote.accessFee, context)}
${feeRow(t('cataloguePages.service.fees.total'), fee.quote.total, context, true)}`
    : feeRow(t('cataloguePages.service.fees.serviceFee'), serviceFee, context);
  return html`<table class="fees"><caption>${t('cataloguePages.service.fees.caption')}</caption>
<thead><tr><th scope="col">${t('cataloguePages.service.fees.item')}</th>
<th scope="col" class="num">${t('cataloguePages.service.fees.amount')}</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="hint">${t(fee.kind === 'quoted' ? 'cataloguePages.service.fees.accessFeeHint'
  : 'cataloguePages.service.fees.accessFeeUnknown')}</p>
<p class="muted">${t('cataloguePages.service.fees.since', {
  date: formatCalendarDate(since, language) })}${gazette === null ? '' : html` ${
  t('cataloguePages.service.fees.gazette', { reference: gazette })}`}</p>`;
}

/**
 * The way in: apply (a service with a form), pay (a fee alone, with a published fee and a
 * quote), or where to go instead.
 */
function wayIn(context: PageContext, service: Service, fee: FeeView, csrf: SafeHtml): SafeHtml {
  const { t, language } = context;
  if (service.hasApplicationForm) {
    return html`<p><a class="button" href="${cataloguePaths.apply(service.slug)}">${
      t('cataloguePages.service.apply')}</a></p>`;
  }
  if (fee.kind === 'quoted') {
    return html`<form method="post" action="${webPaths.payForService(service.slug)}">${csrf}
<button type="submit">${t('cataloguePages.service.pay')}</button></form>`;
  }
  const agency = nameOf(language, service.agency);
  return html`<p>${t('cataloguePages.apply.body')} ${t('cataloguePages.apply.meanwhile')} ${
    link(context, cataloguePaths.agency(service.agency.slug), agency)}</p>`;
}

export function renderServicePage(
  context: PageContext,
  service: Service,
  fee: FeeView,
  csrf: SafeHtml,
): string {
  const { t, language } = context;
  const name = nameOf(language, service);
  const description = descriptionOf(language, service);
  return renderPage(context, {
    title: name.text,
    footerNote: service.origin === 'ecitizen' ? dataCredit(context) : undefined,
    main: html`${breadcrumbs(t, crumbsFor(context, service))}
<h1${langAttribute(language, name.language)}>${name.text}</h1>
<h2>${t('cataloguePages.service.about')}</h2>
${description === undefined ? html`<p>${t('cataloguePages.service.noDescription')}</p>` :
  paragraph(context, description)}
${service.serviceUrl === null || !/^https?:\/\//.test(service.serviceUrl) ? html`` :
  html`<p><a href="${service.serviceUrl}" rel="external">${
    t('cataloguePages.service.serviceWebsite')}</a></p>`}
<h2>${t('cataloguePages.service.details')}</h2>
${details(context, service)}
<h2>${t('cataloguePages.service.requirements')}</h2>
${requirements(context, service)}
<h2>${t('cataloguePages.service.fees')}</h2>
${fees(context, fee)}
${wayIn(context, service, fee, csrf)}`,
  });
}


