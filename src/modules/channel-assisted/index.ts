/**
 * Assisted service (docs/assisted.md): a cyber cafe or Huduma Centre clerk, a member of staff
 * with the role 'assisted-agent' listed in the agent register, serves a citizen who consents
 * with a one-time code sent to the citizen's own phone. In the session that opens, the agent
 * makes bills in the citizen's name (the invoice is the citizen's; its link to the agent and
 * the agent's fee, capped by the published agent-fee table, is a record of this module, never
 * on the invoice nor in the ledger); the M-Pesa prompt, the receipt and the messages go to the
 * citizen. Platform administrators keep the register and the caps; anyone reads the table at
 * /agent-fees; the citizen sees on their account page what agents did for them, and an
 * agency's staff which of its bills came through agents.
 */
import type { HudumaModule } from '#platform/module.ts';
import { hasPermission } from '#modules/authorisation/index.ts';
import { html, registerAccountSection, registerStaffHomePanel } from '#web/index.ts';
import { adminRoutes } from './admin-routes.ts';
import { agentRoutes } from './agent-routes.ts';
import { assistedErrors } from './assisted-errors.ts';
import { assistedPaths } from './assisted-paths.ts';
import { listAssistedBills } from './bill-listing.ts';
import { citizenSection } from './list-views.ts';
import { citizenApplicationsSection,
  listAssistedApplications } from './application-listing.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export { assistedErrors, type AssistedErrorCode } from './assisted-errors.ts';
export { assistedPaths } from './assisted-paths.ts';
export { registerAgent, type AgentView } from './agent-register-service.ts';
export { publishFeeCap } from './fee-cap-service.ts';
export { seedAssistedDemo } from './assisted-demo.ts';

export const channelAssistedModule: HudumaModule = {
  name: 'channel-assisted',
  errors: assistedErrors,
  messages: { en, sw },
  staffNavigation: [
    { href: assistedPaths.agentHome, labelKey: 'assisted.nav.serve',
      permission: 'assisted.serve' },
    { href: assistedPaths.register, labelKey: 'assisted.nav.register',
      permission: 'assisted.agents.manage' },
  ],
  routes: async (app, deps) => {
    await agentRoutes(app, deps);
    await adminRoutes(app, deps);
    registerAccountSection(app, { id: 'assisted.bills', order: 25, render: async (request) => {
      const actor = request.actor;
      if (actor?.kind !== 'account') return undefined;
      const bills = await listAssistedBills(deps,
        { citizenAccountId: actor.onBehalfOf?.id ?? actor.accountId });
      return citizenSection(request.pageContext(), bills);
    } });
    registerAccountSection(app, { id: 'assisted.applications', order: 11,
      render: async (request) => {
        const actor = request.actor;
        if (actor?.kind !== 'account') return undefined;
        const rows = await listAssistedApplications(deps,
          { citizenAccountId: actor.onBehalfOf?.id ?? actor.accountId });
        return citizenApplicationsSection(request.pageContext(), rows);
      } });
    registerStaffHomePanel(app, { id: 'assisted.serve', order: 3, render: (request) => {
      if (!hasPermission(request.actor, 'assisted.serve')) return Promise.resolve(undefined);
      const { t } = request.pageContext();
      return Promise.resolve(html`<section aria-labelledby="assisted-serve"><h2
 id="assisted-serve">${t('assisted.home.title')}</h2><p>${t('assisted.panel.intro')}</p><p><a
 href="${assistedPaths.agentHome}">${t('assisted.panel.start')}</a></p></section>`);
    } });
  },
};
