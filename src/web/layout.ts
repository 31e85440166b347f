/**
 * The page shell: skip link, header with the national identity, navigation, who is signed in
 * and the language switch, main, footer. Staff pages get a header of their own (the staff
 * navigation, never the citizen one). No script is needed for anything; every page works with
 * JavaScript off.
 */
import { favicon, stylesheet } from './assets.ts';
import { html, type SafeHtml } from './html.ts';
import type { Language, Translate } from './i18n.ts';
import { localised, pickText } from './text-language.ts';
import { webPaths } from './web-paths.ts';

/** A header link; with a permission, shown only to staff who hold it (the page would refuse). */
export type NavigationItem = Readonly<{ href: string; labelKey: string; permission?: string }>;

/** Who the header names: filled by identity for a signed-in request, never for anyone else. */
export type SignedInView = Readonly<{
  kind: 'account' | 'staff';
  /** A display name (first name and last initial, or a business name); never an ID number. */
  name: string;
  /** The dependant's or business's display name, when the person acts for one. */
  actingFor?: string | undefined;
  /** Staff: the message key of their role, and their agency's name (none: every agency). */
  roleKey?: string | undefined;
  /** Staff: the permissions of their role, so the header offers only pages they may open. */
  permissions?: readonly string[] | undefined;
  agency?: Readonly<{ en: string; sw: string | null }> | undefined;
  /** Where the name links: the account page or the staff home. */
  homePath: string;
  /** Where acting-for is changed (account holders). */
  actingForPath?: string | undefined;
  /** The sign-out form: its address and the hidden CSRF field it posts. */
  signOutPath: string;
  csrfField: SafeHtml;
}>;

/** Who the page is for: the public site, or staff (a header of its own). */
export type Audience = 'public' | 'staff';

/** What every page knows about the request it answers. */
export type PageContext = Readonly<{
  language: Language;
  t: Translate;
  /** The path and query of this page, to come back to after switching language. */
  currentUrl: string;
  navigation: readonly NavigationItem[];
  /** The staff header's navigation; staff pages show it instead of `navigation`. */
  staffNavigation?: readonly NavigationItem[] | undefined;
  audience?: Audience | undefined;
  signedIn?: SignedInView | undefined;
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
function currentMarker(item: NavigationItem, currentUrl: string, root: string): SafeHtml {
  const path = currentUrl.split('?')[0] ?? '';
  if (path === item.href) return html` aria-current="page"`;
  if (item.href !== root && path.startsWith(`${item.href}/`)) {
    return html` aria-current="true"`;
  }
  return html``;
}

function navigationList(
  context: PageContext,
  items: readonly NavigationItem[],
  options: Readonly<{ labelKey: string; root: string }>,
): SafeHtml {
  const { t, language } = context;
  const otherLanguage: Language = language === 'en' ? 'sw' : 'en';
  return html`<nav aria-label="${t(options.labelKey)}"><ul>
${items.map((item) => html`<li><a href="${item.href}"${
  currentMarker(item, context.currentUrl, options.root)}>${t(item.labelKey)}</a></li>`)}
<li><a href="${webPaths.language(otherLanguage, context.currentUrl)}" lang="${otherLanguage}"
 hreflang="${otherLanguage}">${t('site.language.switchTo')}</a></li>
</ul></nav>`;
}

function signOutForm(t: Translate, who: SignedInView): SafeHtml {
  return html`<form method="post" action="${who.signOutPath}" class="sign-out">${
    who.csrfField}<button type="submit" class="link">${t('site.who.signOut')}</button></form>`;
}

/** "Signed in as Amina W., acting for Baraka W. (change)" and a sign-out button. */
function whoIsSignedIn(context: PageContext): SafeHtml {
  const { t, language } = context;
  const who = context.signedIn;
  if (who === undefined) return html``;
  const name = html`<a href="${who.homePath}">${who.name}</a>`;
  const acting = who.actingFor === undefined ? html`` : html`<span class="acting">${
    t('site.who.actingFor')} <strong>${who.actingFor}</strong>${who.actingForPath === undefined
    ? '' : html` (<a href="${who.actingForPath}">${t('site.who.change')}</a>)`}</span>`;
  const staff = who.kind !== 'staff' ? html`` : html`<span class="role">${
    who.roleKey === undefined ? '' : t(who.roleKey)}${
    who.agency === undefined ? '' : html`, ${localised(language, pickText(language, who.agency))}`
  }</span>`;
  return html`<div class="who"><p>${t('site.who.signedInAs')} ${name}${staff}${acting}</p>${
    signOutForm(t, who)}</div>`;
}

/** The black, red and green of the flag, as a thin band: CSS only, decorative. */
const nationalBand = html`<div class="national-band" aria-hidden="true"></div>`;

function publicHeader(context: PageContext): SafeHtml {
  const { t } = context;
  return html`<header class="site-header">
${nationalBand}<div class="bar">
<p class="brand"><span class="nation">${t('site.nation')}</span>
<a href="${webPaths.home}">${t('site.name')}</a></p>
${navigationList(context, context.navigation, { labelKey: 'site.navigation', root: webPaths.home })}
</div>
${context.signedIn === undefined ? '' : html`<div class="bar">${whoIsSignedIn(context)}</div>`}
</header>`;
}

function staffHeader(context: PageContext): SafeHtml {
  const { t } = context;
  return html`<header class="site-header staff-header">
${nationalBand}<div class="bar">
<p class="brand"><span class="nation">${t('site.nation')}</span>
<a href="${webPaths.staffHome}">${t('site.name')} <span class="badge">${t('site.staff')}</span></a>
</p>
${navigationList(context, (context.staffNavigation ?? []).filter((item) =>
    item.permission === undefined ||
    (context.signedIn?.permissions?.includes(item.permission) ?? false)),
    { labelKey: 'site.staffNavigation', root: webPaths.staffHome })}
</div>
${context.signedIn === undefined ? '' : html`<div class="bar">${whoIsSignedIn(context)}</div>`}
</header>`;
}

function footer(context: PageContext, note: SafeHtml | undefined): SafeHtml {
  const { t } = context;
  const links: readonly (readonly [string, string])[] = [
    [webPaths.help, 'site.footer.help'], [webPaths.contact, 'site.footer.contact'],
    [webPaths.privacy, 'site.footer.privacy'],
    [webPaths.accessibility, 'site.footer.accessibility'],
    [webPaths.terms, 'site.footer.terms'], [webPaths.about, 'site.footer.about'],
    [webPaths.apiDocs, 'site.footer.apiDocs'],
    [webPaths.transparency, 'site.footer.transparency'],
  ];
  return html`<footer class="site-footer"><div class="inner">
${note === undefined ? html`` : html`<p class="footer-note">${note}</p>`}
<p>${t('site.footer.text')}</p>
<ul class="footer-links">${links.map(([href, key]) => html`<li><a href="${href}">${
  t(key)}</a></li>`)}</ul>
</div></footer>`;
}

export function renderPage(context: PageContext, options: PageOptions): string {
  const { t, language } = context;
  const page = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} – ${t('site.name')}</title>
<link rel="stylesheet" href="${stylesheet.path}">
<link rel="icon" href="${favicon.path}" type="image/svg+xml">
${options.head}
</head>
<body>
<a class="skip" href="#main">${t('site.skipToContent')}</a>
${context.audience === 'staff' ? staffHeader(context) : publicHeader(context)}
<main id="main" tabindex="-1">
${options.main}
</main>
${footer(context, options.footerNote)}
</body>
</html>`;
  return page.value;
}
