/**
 * Card payments (docs/cards.md): the card acquirer adapter behind the payment-channel interface.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const channelCardsModule: HudumaModule = {
  name: 'channel-cards',
  errors: {},
  messages: { en, sw },
};
