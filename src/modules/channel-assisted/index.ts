/**
 * Assisted service (docs/assisted.md): agents serve citizens who consent with a one-time code.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const channelAssistedModule: HudumaModule = {
  name: 'channel-assisted',
  errors: {},
  messages: { en, sw },
};
