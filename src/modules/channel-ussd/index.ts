/**
 * USSD gateway (docs/ussd.md): pay, check bills and payments, application status, verify documents from a feature phone.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const channelUssdModule: HudumaModule = {
  name: 'channel-ussd',
  errors: {},
  messages: { en, sw },
};
