/**
 * Pesaflow-compatible checkout (docs/pesaflow.md) for agencies integrated with the old
 * gateway: they switch by changing a base URL. The checkout (POST /PaymentAPI/iframev2.1.php,
 * secureHash per client encoding), the hosted checkout page, the payment notification (IPN)
 * to the client's notificationURL (signed per client recipe, retried until acknowledged) and
 * the status query (GET /api/invoice/payment/status). Each checkout is an ordinary invoice
 * made through payments' index.ts (same ledger, same receipts); clients are registered per
 * agency on /staff/pesaflow-clients.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { pesaflowApiRoutes } from './pesaflow-api-routes.ts';
import { pesaflowErrors } from './pesaflow-errors.ts';
import { pesaflowJobs } from './pesaflow-ipn.ts';
import { pesaflowPageRoutes } from './pesaflow-page-routes.ts';
import { pesaflowPaths } from './pesaflow-paths.ts';
import { pesaflowStaffRoutes } from './pesaflow-staff-routes.ts';

export { pesaflowErrors, type PesaflowErrorCode } from './pesaflow-errors.ts';
export { pesaflowPaths } from './pesaflow-paths.ts';

export const channelPesaflowModule: HudumaModule = {
  name: 'channel-pesaflow',
  errors: pesaflowErrors,
  messages: { en, sw },
  routes: async (app, deps) => {
    await pesaflowApiRoutes(app, deps);
    await pesaflowPageRoutes(app, deps);
    await pesaflowStaffRoutes(app, deps);
  },
  staffNavigation: [{ href: pesaflowPaths.staff, labelKey: 'pesaflow.nav',
    permission: 'agency.integration.manage' }],
  periodicJobs: (deps) => pesaflowJobs(deps),
};
