/**
 * Card payments (docs/cards.md): the card acquirer adapter behind the pay page's channel
 * interface. The pay page's card button (payPaths.card) makes a hosted payment session at the
 * acquirer and sends the payer there, the only place a card number is typed; the return page
 * (payPaths.cardReturn) says how it ended; the acquirer's signed notifications
 * (cardPaths.notifications) are stored verbatim first and recorded by payments exactly once per
 * acquirer payment id (Dr collection:card:<provider>). KES and USD.
 */
import type { HudumaModule } from '#platform/module.ts';
import { cardRefundSendTopic } from '#modules/payments/index.ts';
import {
  cardsAvailable,
  checkOpenSessions,
  sessionCheckAfterMs,
} from './card-payment-service.ts';
import { cardRefundSendHandler } from './card-refund-sender.ts';
import { cardRoutes } from './card-routes.ts';
import { cardsErrors } from './cards-errors.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export { cardPaths } from './card-paths.ts';
export { cardsErrors, type CardsErrorCode } from './cards-errors.ts';
export { verifyCardSignature, signatureToleranceSeconds } from './card-notification.ts';
export type { CardsTables } from './cards-tables.ts';

export const channelCardsModule: HudumaModule = {
  name: 'channel-cards',
  errors: cardsErrors,
  messages: { en, sw },
  routes: async (app, deps) => cardRoutes(app, deps),
  // Payments enqueues a card refund's attempt; the card channel sends it to the acquirer.
  outboxHandlers: (deps) => ({ [cardRefundSendTopic]: cardRefundSendHandler(deps) }),
  periodicJobs: (deps) => cardsAvailable(deps) ? [{
    name: 'channel-cards.open-session-check',
    everyMs: sessionCheckAfterMs,
    run: async () => {
      const checked = await checkOpenSessions(deps);
      if (checked > 0) deps.logger.info({ checked }, 'open card sessions asked about');
    },
  }] : [],
};
