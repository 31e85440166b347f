/**
 * The citizen pay pages, registered by the payments module: issue an invoice for a service,
 * pay it (M-Pesa prompt, paybill, credit, other channels through adapters), "check your
 * phone", and the hand-over to the receipt. They import the payments files directly (the
 * module's index.ts imports this file, so going through it would be a cycle).
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '#platform/module.ts';
import { joinBundles } from '#web/index.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import moneyEn from './locales/account-money.en.json' with { type: 'json' };
import moneySw from './locales/account-money.sw.json' with { type: 'json' };
import { accountMoneyRoutes } from './account-money-routes.ts';
import { payRoutes, type PayRoutesOptions } from './pay-routes.ts';
import { waitingRoutes } from './waiting-routes.ts';

export { payPaths } from './pay-paths.ts';
export { payersInvoice, signedInAccountIdOf } from './pay-access.ts';
export { accountMoneyPaths } from './account-money-paths.ts';
export { isInvoiceCancellableByPayer, type CancellableFacts } from './bill-cancel-policy.ts';
export {
  bankTransferAdapter,
  acquirerCardAdapter,
  cardAdapter,
  channelAdaptersFor,
  defaultChannelAdapters,
  type PaymentChannelAdapter,
  type PaymentChannelOffer,
} from './payment-channels.ts';
export type { StkStarter, StkStartInput } from './stk-port.ts';
export type { PayRoutesOptions } from './pay-routes.ts';

export const payPageMessages = joinBundles([{ en, sw }, { en: moneyEn, sw: moneySw }]);

export async function payPageRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  options: PayRoutesOptions = {},
): Promise<void> {
  await payRoutes(app, deps, options);
  await waitingRoutes(app, deps);
  await accountMoneyRoutes(app, deps);
}
