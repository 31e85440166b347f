/**
 * The card acquirer emulator (docs/card-emulator.md): a fake acquirer for dev, demo and tests.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const cardEmulatorModule: HudumaModule = {
  name: 'card-emulator',
  errors: {},
  messages: { en, sw },
};
