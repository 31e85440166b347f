/** Small, accessible building blocks that views compose. All copy comes in translated. */
import { html, type SafeHtml } from './html.ts';
import type { Translate } from './i18n.ts';

/**
 * A translated sentence with markup in its placeholders: a link or a lang-marked name inside
 * copy, without handing the translation itself to the page unescaped.
 */
export function messageWithMarkup(
  t: Translate,
  key: string,
  parts: Readonly<Record<string, SafeHtml | string | number>>,
): SafeHtml {
  const pieces = t(key).split(/\{(\w+)\}/);
  return html`${pieces.map((piece, index) => {
    if (index % 2 === 0) return piece;
    const part = parts[piece];
    return part === undefined ? `{${piece}}` : part;
  })}`;
}

/** A label is text, or markup such as a name marked with its own language. */
export type Crumb = Readonly<{ href: string; label: string | SafeHtml }>;

export function breadcrumbs(t: Translate, crumbs: readonly Crumb[]): SafeHtml {
  return html`<nav class="breadcrumbs" aria-label="${t('site.breadcrumbs')}"><ol>
${crumbs.map((crumb) => html`<li><a href="${crumb.href}">${crumb.label}</a></li>`)}
</ol></nav>`;
}

export type PaginationInput = Readonly<{
  page: number;
  pageSize: number;
  total: number;
  /** The link to a given page number. */
  hrefFor: (page: number) => string;
}>;

export function pagination(t: Translate, input: PaginationInput): SafeHtml {
  const pages = Math.max(1, Math.ceil(input.total / input.pageSize));
  if (pages <= 1) return html``;
  const previous = input.page > 1
    ? html`<li><a rel="prev" href="${input.hrefFor(input.page - 1)}">${
      t('pagination.previous')}</a></li>`
    : html``;
  const next = input.page < pages
    ? html`<li><a rel="next" href="${input.hrefFor(input.page + 1)}">${
      t('pagination.next')}</a></li>`
    : html``;
  const status = t('pagination.status', { page: input.page, pages });
  return html`<nav aria-label="${t('pagination.label')}"><ul class="pagination">
${previous}<li aria-current="page">${status}</li>${next}
</ul></nav>`;
}

export function summaryList(rows: readonly (readonly [string, SafeHtml | string])[]): SafeHtml {
  const items = rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`);
  return html`<dl class="summary">${items}</dl>`;
}
