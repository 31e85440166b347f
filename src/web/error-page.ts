/** The friendly page shown for an error, in the visitor's language. */
import { html } from './html.ts';
import { renderPage, type PageContext } from './layout.ts';
import { webPaths } from './web-paths.ts';

const pagesByStatus = new Set([400, 403, 404, 429, 500, 503]);

export function renderErrorPage(context: PageContext, status: number): string {
  const { t } = context;
  const key = pagesByStatus.has(status) ? String(status) : status >= 500 ? '500' : '400';
  return renderPage(context, {
    title: t(`error.${key}.title`),
    main: html`<h1>${t(`error.${key}.title`)}</h1>
<p>${t(`error.${key}.body`)}</p>
<p><a href="${webPaths.home}">${t('error.goHome')}</a></p>`,
  });
}
