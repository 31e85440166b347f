/**
 * Settlement: paying each agency what the ledger holds for it, on its schedule (T+1 by
 * default). A batch fixes the amounts from ledger entries up to a cut-off (an entry is in at
 * most one batch), produces the bank payment file, needs two different approvers, and is
 * marked settled with the bank's reference; the settlement lag is measured per agency against
 * its SLA. Uses payments and the ledger through their index.ts only.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const settlementModule: HudumaModule = {
  name: 'settlement',
  errors: {},
  messages: { en, sw },
};
