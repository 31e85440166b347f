/**
 * Reconciliation: proving the books against the provider's statement. Imports the paybill
 * statement (CSV from the M-Pesa organisation portal, streamed) and Pull Transactions, matches
 * every line by receipt and classifies it, checks the collection account's balance against the
 * statement's running balance, and keeps the suspense register with its maker-checker
 * resolutions. Uses payments and the ledger through their index.ts only.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { reconciliationErrors } from './reconciliation-errors.ts';

export const reconciliationModule: HudumaModule = {
  name: 'reconciliation',
  errors: reconciliationErrors,
  messages: { en, sw },
};
