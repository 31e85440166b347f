/**
 * The API documentation pages: every operation of the OpenAPI document, grouped by tag, and
 * the error catalogue. The API's own texts are English; on a Swahili page they say so (lang).
 */
import {
  breadcrumbs,
  html,
  langAttribute,
  renderPage,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import { apiDocsPaths } from './api-docs-paths.ts';
import { errorAnchor, type ErrorCatalogueEntry } from './error-catalogue.ts';
import {
  untaggedGroupName,
  type ApiOperation,
  type ApiOperationGroup,
  type ApiSummary,
} from './openapi-summary.ts';

/** Backticks in the catalogue's prose mark code; everything else is escaped text. */
function proseWithCode(text: string): SafeHtml {
  const parts = text.split('`');
  return html`${parts.map((part, index) => index % 2 === 1 ? html`<code>${part}</code>` : part)}`;
}

function groupAnchor(tag: string): string {
  return `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

function groupTitle(context: PageContext, group: ApiOperationGroup): SafeHtml {
  if (group.tag === untaggedGroupName) return html`${context.t('apiDocs.untagged')}`;
  return html`<span${langAttribute(context.language, 'en')}>${group.tag}</span>`;
}

/** A list, not a table: four columns of code do not fit a phone. */
function parameterList(context: PageContext, operation: ApiOperation): SafeHtml {
  const { t } = context;
  if (operation.parameters.length === 0) return html``;
  const english = langAttribute(context.language, 'en');
  const items = operation.parameters.map((parameter) => html`<li><code>${parameter.name}</code>
 (<code>${parameter.location}</code>${parameter.type === undefined ? html`` :
  html`, <code>${parameter.type}</code>`}, ${t(parameter.required
  ? 'apiDocs.parameter.required' : 'apiDocs.parameter.optional')})${
  parameter.description === undefined ? html`` :
    html`<br><span${english}>${parameter.description}</span>`}</li>`);
  return html`<h4>${t('apiDocs.parameters')}</h4><ul class="parameters">${items}</ul>`;
}

function operationView(context: PageContext, operation: ApiOperation): SafeHtml {
  const { t, language } = context;
  const english = langAttribute(language, 'en');
  const body = operation.requestContentTypes.length === 0 ? html`` :
    html`<p>${t('apiDocs.requestBody')}: ${operation.requestContentTypes.map((type, index) =>
      html`${index > 0 ? ', ' : ''}<code>${type}</code>`)}</p>`;
  const responses = operation.responses.map((response) => html`<li><code>${response.status}</code>${
    response.description === undefined ? html`` :
      html` <span${english}>${response.description}</span>`}</li>`);
  return html`<section class="operation" id="${operation.anchor}"
 aria-labelledby="${operation.anchor}-title">
<h3 id="${operation.anchor}-title"><span class="tag">${operation.method}</span>
 <code>${operation.path}</code>${operation.deprecated ? html` <span class="tag">${
  t('apiDocs.deprecated')}</span>` : html``}</h3>
${operation.summary === undefined ? html`` : html`<p${english}>${operation.summary}</p>`}
${operation.description === undefined ? html`` :
  html`<p class="muted"${english}>${operation.description}</p>`}
${parameterList(context, operation)}
${body}
<h4>${t('apiDocs.responses')}</h4>
<ul>${responses}</ul>
</section>`;
}

function contents(context: PageContext, groups: readonly ApiOperationGroup[]): SafeHtml {
  const { t } = context;
  return html`<nav aria-labelledby="contents-title"><h2 id="contents-title">${
    t('apiDocs.contents')}</h2><ul>
${groups.map((group) => html`<li><a href="#${groupAnchor(group.tag)}">${
  groupTitle(context, group)}</a> (${t('apiDocs.operationCount', {
  count: group.operations.length })})</li>`)}
<li><a href="#error-codes">${t('apiDocs.errors.title')}</a></li>
</ul></nav>`;
}

export function renderApiDocsPage(
  context: PageContext,
  summary: ApiSummary,
  errorCount: number,
): string {
  const { t, language } = context;
  const groups = summary.groups.map((group) => html`<section
 aria-labelledby="${groupAnchor(group.tag)}">
<h2 id="${groupAnchor(group.tag)}">${groupTitle(context, group)}</h2>
${group.description === undefined ? html`` :
  html`<p${langAttribute(language, 'en')}>${group.description}</p>`}
${group.operations.map((operation) => operationView(context, operation))}
</section>`);
  return renderPage(context, {
    title: t('apiDocs.title'),
    main: html`<h1>${t('apiDocs.title')}</h1>
<p class="lede">${t('apiDocs.intro')}</p>
<p>${t('apiDocs.problemDetails')}</p>
<p><a href="${apiDocsPaths.openApiDocument}">${t('apiDocs.openApiLink')}</a>
 (<span lang="en">${summary.title}</span>, ${
  t('apiDocs.version', { version: summary.version })})</p>
${summary.groups.length === 0 ? html`<p>${t('apiDocs.noOperations')}</p>` :
  contents(context, summary.groups)}
${groups}
<section aria-labelledby="error-codes"><h2 id="error-codes">${t('apiDocs.errors.title')}</h2>
<p>${t('apiDocs.errors.intro')}</p>
<p><a href="${apiDocsPaths.errors}">${t('apiDocs.errors.link', { count: errorCount })}</a></p>
</section>`,
  });
}

export function renderErrorCataloguePage(
  context: PageContext,
  entries: readonly ErrorCatalogueEntry[],
): string {
  const { t, language } = context;
  const rows = entries.map((entry) => html`<tr id="${errorAnchor(entry.code)}">
<th scope="row"><code>${entry.code}</code></th><td class="num">${entry.status}</td>
<td${langAttribute(language, 'en')}>${proseWithCode(entry.meaning)}</td></tr>`);
  return renderPage(context, {
    title: t('apiDocs.errors.title'),
    main: html`${breadcrumbs(t, [{ href: apiDocsPaths.docs, label: t('apiDocs.title') }])}
<h1>${t('apiDocs.errors.title')}</h1>
<p class="lede">${t('apiDocs.errors.intro')}</p>
<p>${t('apiDocs.problemDetails')}</p>
<table class="error-codes"><caption>${t('apiDocs.errors.caption')}</caption>
<thead><tr><th scope="col">${t('apiDocs.errors.code')}</th>
<th scope="col" class="num">${t('apiDocs.errors.status')}</th>
<th scope="col">${t('apiDocs.errors.meaning')}</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  });
}
