/** Renders a site page from its outline (site-pages.ts), in the visitor's language. */
import {
  html,
  messageWithMarkup,
  renderPage,
  webPaths,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import type { SitePage, SiteSection } from './site-pages.ts';

/** What the copy may name: the paybill, the service desk, and links to other pages. */
export type SiteFacts = Readonly<{
  paybill: string;
  serviceDeskEmail: string;
  verifyPath: string;
  accountPath: string;
}>;

type Parts = Readonly<Record<string, SafeHtml | string>>;

function partsOf(context: PageContext, facts: SiteFacts): Parts {
  const { t } = context;
  const link = (href: string, key: string) => html`<a href="${href}">${t(key)}</a>`;
  return {
    paybill: html`<strong>${facts.paybill}</strong>`,
    email: html`<a href="mailto:${facts.serviceDeskEmail}">${facts.serviceDeskEmail}</a>`,
    verifyLink: link(facts.verifyPath, 'site.link.verify'),
    accountLink: link(facts.accountPath, 'site.link.account'),
    helpLink: link(webPaths.help, 'site.link.help'),
    contactLink: link(webPaths.contact, 'site.link.contact'),
    privacyLink: link(webPaths.privacy, 'site.link.privacy'),
    odpcLink: html`<a href="https://www.odpc.go.ke/" rel="external">${t('site.link.odpc')}</a>`,
  };
}

function section(context: PageContext, page: SitePage, part: SiteSection, parts: Parts)
  : SafeHtml {
  const prefix = `site.${page.id}.${part.id}`;
  const text = (key: string) => messageWithMarkup(context.t, `${prefix}.${key}`, parts);
  const numbered = (count: number, stem: string) =>
    Array.from({ length: count }, (_unused, index) => text(`${stem}${index + 1}`));
  const items = numbered(part.items ?? 0, 'li').map((item) => html`<li>${item}</li>`);
  const list = items.length === 0 ? html``
    : part.ordered === true ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
  const headingId = `${page.id}-${part.id}`;
  return html`<section aria-labelledby="${headingId}">
<h2 id="${headingId}">${context.t(`${prefix}.title`)}</h2>
${numbered(part.paragraphs, 'p').map((paragraph) => html`<p>${paragraph}</p>`)}
${list}
${numbered(part.after ?? 0, 'after').map((paragraph) => html`<p>${paragraph}</p>`)}
</section>`;
}

export function renderSitePage(context: PageContext, page: SitePage, facts: SiteFacts): string {
  const { t } = context;
  const parts = partsOf(context, facts);
  const contents = page.sections.map((part) => html`<li><a href="#${page.id}-${part.id}">${
    t(`site.${page.id}.${part.id}.title`)}</a></li>`);
  return renderPage(context, {
    title: t(`site.${page.id}.title`),
    main: html`<div class="site-pages"><h1>${t(`site.${page.id}.title`)}</h1>
<p class="lede">${messageWithMarkup(t, `site.${page.id}.lede`, parts)}</p>
<nav aria-label="${t('site.contents')}"><ul>${contents}</ul></nav>
${page.sections.map((part) => section(context, page, part, parts))}
</div>`,
  });
}
