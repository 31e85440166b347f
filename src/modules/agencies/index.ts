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
import onboardingEn from './locales/onboarding-en.json' with { type: 'json' };
import onboardingSw from './locales/onboarding-sw.json' with { type: 'json' };
import { onboardingErrors } from './onboarding-errors.ts';
import { onboardingRoutes } from './onboarding-routes.ts';
import { onboardingPaths } from './onboarding-view-parts.ts';
import { servicesRoutes } from './services-routes.ts';
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
import { complianceJobs } from './compliance-alerts.ts';
import { complianceErrors } from './compliance-errors.ts';
import { complianceMessages } from './compliance-messages.ts';
import { compliancePaths } from './compliance-paths.ts';
import { complianceRegisterRoutes } from './compliance-register-routes.ts';
import { complianceRoutes } from './compliance-routes.ts';

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
/** Onboarding (docs/onboarding.md): agencies, their services, fee changes with two people. */
export { createAgency, findAgencyDetail, type AgencyDetail } from './onboarding-service.ts';
export { createService, makeServiceLive, updateService } from './services-service.ts';
export {
  approveFeeChange,
  proposeFeeChange,
  rejectFeeChange,
  type FeeChangeFailure,
} from './fee-change-service.ts';
export { onboardingErrors, type OnboardingErrorCode } from './onboarding-errors.ts';
export { onboardingPaths } from './onboarding-view-parts.ts';
/** The compliance scorecard (no personal data), for the public transparency page. */
export {
  complianceScorecard,
  scorecardColumns,
  scorecardCsv,
  sortScorecard,
  type ScorecardColumn,
  type ScorecardRow,
} from './compliance-scorecard.ts';
export { seedDemoCompliance } from './compliance-demo-seed.ts';

export const agenciesModule: HudumaModule = {
  name: 'agencies',
  errors: { ...complianceErrors, ...apiKeysErrors, ...webhookErrors, ...onboardingErrors },
  messages: joinBundles([{ en, sw }, complianceMessages, { en: billInquiryEn, sw: billInquirySw },
    { en: onboardingEn, sw: onboardingSw }]),
  routes: async (app, deps) => {
    await integrationRoutes(app, deps);
    await apiKeysRoutes(app, deps);
    await webhookRoutes(app, deps);
    await complianceRoutes(app, deps);
    await complianceRegisterRoutes(app, deps);
    await billInquiryRoutes(app, deps);
    await onboardingRoutes(app, deps);
    await servicesRoutes(app, deps);
  },
  staffNavigation: [
    { href: compliancePaths.home, labelKey: 'agencies.compliance.nav',
      permission: 'compliance.read' },
    { href: apiKeysPaths.page, labelKey: 'agencies.nav.integration',
      permission: 'agency.integration.manage' },
    { href: webhookPaths.page, labelKey: 'agencies.webhooks.nav',
      permission: 'agency.integration.manage' },
    { href: billInquiryPaths.page, labelKey: 'agencies.billInquiry.nav',
      permission: 'agency.integration.manage' },
    { href: onboardingPaths.agencies, labelKey: 'agencies.onboarding.nav.agencies',
      permission: 'agency.onboard' },
    { href: onboardingPaths.myServices, labelKey: 'agencies.onboarding.nav.services',
      permission: 'catalogue.manage' }],
  periodicJobs: (deps) => [...webhookJobs(deps), ...complianceJobs(deps)],
};
