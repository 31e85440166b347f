/**
 * The page shell: skip link, header with navigation and language switch, main, footer.
 * No script is needed for anything; every page works with JavaScript off.
 */
import { stylesheet } from './assets.ts';
import { html, type SafeHtml } from './html.ts';
import type { Language, Translate } from './i18n.ts';
import { webPaths } from './web-paths.ts';

export type NavigationItem = Readonly<{ href: string; labelKey: string }>;

/** What every page knows about the request it answers. */
export type PageContext = Readonly<{
  language: Language;
  t: Translate;
  /** The path and query of this page, to come back to after switching language. */
  currentUrl: string;
  navigation: readonly NavigationItem[];
}>;

export type PageOptions = Readonly<{
  title: string;
  main: SafeHtml;
  /** Extra markup for <head> (e.g. a meta refresh on a waiting page). */
  head?: SafeHtml;
  /** A line for the footer of this page only, e.g. the credit for imported data. */
  footerNote?: SafeHtml;
}>;

/** aria-current for a navigation item: "page" on its own page, "true" on pages under it. */
function currentMarker(item: NavigationItem, currentUrl: string): SafeHtml {
  const path = currentUrl.split('?')[0] ?? '';
  if (path === item.href) return html` aria-current="page"`;
  if (item.href !== webPaths.home && path.startsWith(`${item.href}/`)) {
    return html` aria-current="true"`;
  }
  return html``;
}

export function renderPage(context: PageContext, options: PageOptions): string {
  const { t, language } = context;
  const otherLanguage: Language = language === 'en' ? 'sw' : 'en';
  const page = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} – ${t('site.name')}</title>
<link rel="stylesheet" href="${stylesheet.path}">
${options.head}
</head>
<body>
<a class="skip" href="#main">${t('site.skipToContent')}</a>
<header class="site-header">
<div class="bar">
<a class="brand" href="${webPaths.home}">${t('site.name')}</a>
<nav aria-label="${t('site.navigation')}"><ul>
${context.navigation.map((item) => html`<li><a href="${item.href}"${
  currentMarker(item, context.currentUrl)}>${t(item.labelKey)}</a></li>`)}
<li><a href="${webPaths.language(otherLanguage, context.currentUrl)}" lang="${otherLanguage}"
 hreflang="${otherLanguage}">${t('site.language.switchTo')}</a></li>
</ul></nav>
</div>
</header>
<main id="main" tabindex="-1">
${options.main}
</main>
<footer class="site-footer"><div class="inner">
${options.footerNote === undefined ? html`` :
  html`<p class="footer-note">${options.footerNote}</p>`}
<p>${t('site.footer.text')}</p>
<ul class="footer-links"><li><a href="${webPaths.about}">${t('site.footer.about')}</a></li>
<li><a href="${webPaths.apiDocs}">${t('site.footer.apiDocs')}</a></li></ul>
</div></footer>
</body>
</html>`;
  return page.value;
}
