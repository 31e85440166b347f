/**
 * Agencies and their systems: API keys scoped to one agency, the integration API agency
 * billing systems call (invoices, payments, settlement batches), and signed webhooks to the
 * agency with a delivery log. Uses payments and settlement through their index.ts only.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { webhookJobs } from './webhook-delivery.ts';
import { webhookErrors } from './webhook-errors.ts';

export const agenciesModule: HudumaModule = {
  name: 'agencies',
  errors: webhookErrors,
  messages: { en, sw },
  periodicJobs: (deps) => webhookJobs(deps),
};
