export { assets, favicon, stylesheet } from './assets.ts';
export {
  breadcrumbs,
  messageWithMarkup,
  pagination,
  summaryList,
  type Crumb,
} from './components.ts';
export { kenyaDateTime, type TimePrecision } from './date-time.ts';
export { renderErrorPage } from './error-page.ts';
export { escapeHtml, html, SafeHtml, trusted, type HtmlValue } from './html.ts';
export {
  isLanguage,
  joinBundles,
  languages,
  negotiateLanguage,
  translator,
  type Language,
  type MessageBundle,
  type Params,
  type Translate,
} from './i18n.ts';
export {
  renderPage,
  type Audience,
  type NavigationItem,
  type PageContext,
  type PageOptions,
  type SignedInView,
} from './layout.ts';
export {
  registerAccountSection,
  registerStaffHomePanel,
  renderPageSections,
  sectionRenderMsMax,
  type PageSection,
  type PageSectionKind,
} from './page-sections.ts';
export {
  langAttribute,
  localised,
  pickText,
  type LocalisedText,
} from './text-language.ts';
export { webMessages } from './web-messages.ts';
export {
  audienceOf,
  languageCookieName,
  sendHtml,
  webPlugin,
  type WebOptions,
} from './web-plugin.ts';
export { safeReturnPath } from './return-path.ts';
export { signInReturnForPost, webPaths } from './web-paths.ts';
