/**
 * The card acquirer emulator (docs/card-emulator.md): a fake acquirer with a hosted payment
 * page, a 3-D Secure-like challenge, signed asynchronous notifications with retries, refunds,
 * and failure injection by test card number, in KES and USD. In the app it is mounted at
 * config.cards.emulatorPath when config.cards.emulator is on (never in production); tests run
 * it on its own port with startCardEmulatorServer. Card numbers are never kept or logged.
 */
import type { FastifyInstance } from 'fastify';
import type { HudumaModule, ModuleDeps } from '#platform/module.ts';
import { html } from '#web/index.ts';
import { cardEmulatorRoutes } from './emulator-routes.ts';
import { createCardEmulator } from './emulator-service.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export {
  cardBrand,
  cardEmulatorChallengeCode,
  cardEmulatorTestCards,
  challengeAttemptsMax,
  passesLuhn,
  type CardBrand,
  type CardEmulatorTestCard,
  type CardScenario,
} from './emulator-cards.ts';
export {
  defaultCardTiming,
  demoMerchant as cardEmulatorDemoMerchant,
  type CardEmulatorMerchant,
  type CardEmulatorTiming,
} from './emulator-context.ts';
export { cardEmulatorRoutes, type CardEmulatorRoutesOptions } from './emulator-routes.ts';
export {
  manualScheduler,
  timerScheduler,
  type ManualScheduler,
  type Scheduler,
} from './emulator-scheduler.ts';
export {
  startCardEmulatorServer,
  type CardEmulatorServer,
  type CardEmulatorServerOptions,
} from './emulator-server.ts';
export {
  createCardEmulator,
  type CardEmulator,
  type CardEmulatorOptions,
} from './emulator-service.ts';
export {
  cardSignatureHeader,
  signatureToleranceSeconds,
  signCardNotification,
} from './emulator-signature.ts';
export type { CardEmulatorSnapshot, DeliverySnapshot } from './emulator-snapshot.ts';
export type { NotificationEvent, NotificationType } from './emulator-state.ts';

async function mountEmulator(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const { cards } = deps.config;
  if (!cards.emulator) return;
  // loadConfig refuses this already; a fake acquirer must never run beside real money.
  if (deps.config.environment === 'production') {
    throw new Error('the card emulator cannot run in production');
  }
  const emulator = createCardEmulator({
    merchant: {
      merchantId: cards.merchantId,
      secretKey: cards.secretKey,
      notificationSecret: cards.notificationSecret,
    },
    publicBaseUrl: `${deps.config.publicBaseUrl}${cards.emulatorPath}`,
    clock: deps.clock,
    logger: deps.logger,
  });
  app.addHook('onClose', async () => emulator.close());
  await app.register(cardEmulatorRoutes, {
    emulator,
    prefix: cards.emulatorPath,
    // Mounted in the app, its forms go through the platform's CSRF check like any other.
    formFields: (request) =>
      html`<input type="hidden" name="_csrf" value="${request.csrfToken()}">`,
  });
}

export const cardEmulatorModule: HudumaModule = {
  name: 'card-emulator',
  errors: {},
  messages: { en, sw },
  routes: mountEmulator,
};
