/**
 * The auditor's section of the staff home: the audit log and the tamper check, then every staff
 * page of the header the caller may open whose permission only reads (applications, refunds,
 * suspense, reconciliation, settlement, the ledger, reports...), so an auditor sees at once
 * what is open to them. Built from the staff navigation, it follows pages other modules add.
 */
import type { FastifyRequest } from 'fastify';
import {
  definitionOf,
  hasPermission,
  isPermission,
} from '#modules/authorisation/index.ts';
import { html, type SafeHtml } from '#web/index.ts';
import { auditPaths } from './audit-views.ts';

export async function auditHomePanel(request: FastifyRequest): Promise<SafeHtml | undefined> {
  const actor = request.actor;
  if (actor?.kind !== 'staff' || !hasPermission(actor, 'audit.read')) return undefined;
  const context = request.pageContext();
  const { t } = context;
  const readable = (context.staffNavigation ?? []).filter((item) =>
    item.permission !== undefined && item.href !== auditPaths.browser &&
    isPermission(item.permission) && definitionOf(item.permission).effect === 'read' &&
    hasPermission(actor, item.permission));
  const links = [
    { href: auditPaths.browser, label: t('audit.nav') },
    { href: auditPaths.verify, label: t('audit.verify.title') },
    ...readable.map((item) => ({ href: item.href, label: t(item.labelKey) })),
  ];
  return Promise.resolve(html`<section aria-labelledby="audit-home-title"><h2
 id="audit-home-title">${t('audit.home.title')}</h2><p>${t(actor.role === 'auditor'
  ? 'audit.home.intro' : 'audit.home.introOthers')}</p>
<ul class="links">${links.map((link) => html`<li><a href="${link.href}">${link.label}</a></li>`)}
</ul></section>`);
}
