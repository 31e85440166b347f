/**
 * Pesaflow-compatible checkout (docs/pesaflow.md) for agencies integrated with the old gateway.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const channelPesaflowModule: HudumaModule = {
  name: 'channel-pesaflow',
  errors: {},
  messages: { en, sw },
};
