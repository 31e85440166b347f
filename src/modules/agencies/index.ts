/**
 * Agencies and their systems: API keys scoped to one agency, the integration API agency
 * billing systems call (invoices, payments, settlement batches), and signed webhooks to the
 * agency with a delivery log. Uses payments and settlement through their index.ts only.
 */
import type { HudumaModule } from '#platform/module.ts';
import { joinBundles } from '#web/index.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import billInquiryEn from './locales/bill-inquiry-en.json' with { type: 'json' };
import billInquirySw from './locales/bill-inquiry-sw.json' with { type: 'json' };
import { billInquiryRoutes } from './bill-inquiry-routes.ts';
import { billInquiryPaths } from './bill-inquiry-views.ts';
import { apiKeysErrors } from './api-keys-errors.ts';
import { apiKeysRoutes } from './api-keys-routes.ts';
import { apiKeysPaths } from './api-keys-views.ts';
import { integrationRoutes } from './integration-routes.ts';
import { webhookJobs } from './webhook-delivery.ts';
import { webhookErrors } from './webhook-errors.ts';
import { webhookRoutes } from './webhook-routes.ts';
import { webhookPaths } from './webhook-views.ts';

export {
  createApiKey,
  listApiKeys,
  resolveApiKey,
  revokeApiKey,
  rotateApiKey,
  type ApiKeyView,
} from './api-keys-service.ts';
export { apiKeysErrors, type ApiKeysErrorCode } from './api-keys-errors.ts';
export { agencyApiKeyScheme, integrationPaths } from './integration-routes.ts';
/** The compliance scorecard (no personal data), for the public transparency page. */
export {
  complianceScorecard,
  scorecardColumns,
  scorecardCsv,
  sortScorecard,
  type ScorecardColumn,
  type ScorecardRow,
} from './compliance-scorecard.ts';

export const agenciesModule: HudumaModule = {
  name: 'agencies',
  errors: { ...apiKeysErrors, ...webhookErrors },
  messages: joinBundles([{ en, sw }, { en: billInquiryEn, sw: billInquirySw }]),
  routes: async (app, deps) => {
    await integrationRoutes(app, deps);
    await apiKeysRoutes(app, deps);
    await webhookRoutes(app, deps);
    await billInquiryRoutes(app, deps);
  },
  staffNavigation: [
    { href: apiKeysPaths.page, labelKey: 'agencies.nav.integration',
      permission: 'agency.integration.manage' },
    { href: webhookPaths.page, labelKey: 'agencies.webhooks.nav',
      permission: 'agency.integration.manage' },
    { href: billInquiryPaths.page, labelKey: 'agencies.billInquiry.nav',
      permission: 'agency.integration.manage' }],
  periodicJobs: (deps) => webhookJobs(deps),
};
