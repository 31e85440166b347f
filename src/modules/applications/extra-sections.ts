/**
 * Two more parts of other pages: "My documents" on the account page (the documents issued to
 * the person acted for, with a link to each), and the ratings of the agency's services on the
 * staff home of those who read reports (supervisors, Treasury, auditors).
 */
import type { FastifyRequest } from 'fastify';
import {
  actingForAccountId,
  agencyScopeOf,
  hasPermission,
} from '#modules/authorisation/index.ts';
import { documentsPaths, listDocumentsOfHolder } from '#modules/documents/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { html, type SafeHtml } from '#web/index.ts';
import { applicationsDb } from './application-repo.ts';
import { textIn } from './application-views.ts';
import { ratingSummary } from './rating-service.ts';

const documentsShown = 5;
const servicesShown = 10;

export function documentsSection(deps: ModuleDeps):
  (request: FastifyRequest) => Promise<SafeHtml | undefined> {
  return async (request) => {
    const actor = request.actor;
    if (actor?.kind !== 'account') return undefined;
    const documents = await listDocumentsOfHolder(deps, actingForAccountId(actor));
    const { t, language } = request.pageContext();
    return html`<section aria-labelledby="documents-title"><h2 id="documents-title">${
      t('applications.documents.title')}</h2>${documents.length === 0
      ? html`<p>${t('applications.documents.none')}</p>`
      : html`<ul class="list">${documents.slice(0, documentsShown).map((document) => html`<li><a
 href="${documentsPaths.document(document.id)}">${textIn(language, document.serviceName)} (${
  document.number})</a>${document.revokedAt === null ? html``
  : html` <strong class="tag">${t('applications.documents.revoked')}</strong>`}</li>`)}</ul>`}
<p><a href="${documentsPaths.documents}">${t('applications.documents.all')}</a></p></section>`;
  };
}

export function ratingsPanel(deps: ModuleDeps):
  (request: FastifyRequest) => Promise<SafeHtml | undefined> {
  return async (request) => {
    const actor = request.actor;
    if (actor?.kind !== 'staff' || !hasPermission(actor, 'reports.read')) return undefined;
    const scope = agencyScopeOf(actor);
    const ratings = await ratingSummary(deps, 'service_id',
      scope === 'all' ? undefined : scope);
    if (ratings.length === 0) return undefined;
    const ids = ratings.map((rating) => rating.id);
    const names = await applicationsDb(deps.db).selectFrom('service')
      .select(['id', 'name_en', 'name_sw']).where('id', 'in', ids).execute();
    const nameOf = new Map(names.map((row) => [row.id, { en: row.name_en, sw: row.name_sw }]));
    const { t, language } = request.pageContext();
    const rows = ratings.sort((a, b) => b.count - a.count).slice(0, servicesShown);
    return html`<section aria-labelledby="ratings-title"><h2 id="ratings-title">${
      t('applications.ratings.title')}</h2><table class="table"><thead><tr><th scope="col">${
      t('applications.list.service')}</th><th scope="col">${t('applications.ratings.average')}</th>
<th scope="col">${t('applications.ratings.count')}</th></tr></thead><tbody>${rows.map((rating) =>
  html`<tr><td>${textIn(language, nameOf.get(rating.id) ?? { en: rating.id })}</td><td>${
    rating.average.toFixed(1)}</td><td>${rating.count}</td></tr>`)}</tbody></table></section>`;
  };
}
