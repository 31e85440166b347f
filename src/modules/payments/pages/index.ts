/**
 * The citizen pay pages, registered by the payments module: issue an invoice for a service,
 * pay it (M-Pesa prompt, paybill, credit, other channels through adapters), "check your
 * phone", and the hand-over to the receipt. They import the payments files directly (the
 * module's index.ts imports this file, so going through it would be a cycle).
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { payRoutes, type PayRoutesOptions } from './pay-routes.ts';
import { waitingRoutes } from './waiting-routes.ts';

export { payPaths } from './pay-paths.ts';
export {
  bankTransferAdapter,
  cardAdapter,
  defaultChannelAdapters,
  type PaymentChannelAdapter,
  type PaymentChannelOffer,
} from './payment-channels.ts';
export type { StkStarter, StkStartInput } from './stk-port.ts';
export type { PayRoutesOptions } from './pay-routes.ts';

export const payPageMessages = { en, sw };

export async function payPageRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  options: PayRoutesOptions = {},
): Promise<void> {
  await payRoutes(app, deps, options);
  await waitingRoutes(app, deps);
}
