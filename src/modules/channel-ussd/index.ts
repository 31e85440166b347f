/**
 * USSD gateway (docs/ussd.md): pay, check bills and payments, application status, verify
 * documents from a feature phone, in English and Swahili.
 *
 * - POST /ussd/africastalking/<token>: the aggregator's form POST (sessionId, serviceCode,
 *   phoneNumber, text = the answers so far joined by `*`), answered `CON <screen>` or
 *   `END <screen>` in text/plain; the token (HUDUMA_USSD_GATEWAY_TOKEN) and the optional source
 *   allow-list (HUDUMA_USSD_ALLOWED_SOURCES) authenticate the gateway, whose word on the phone
 *   number is then taken.
 * - /ussd/simulator (not in production): a phone screen in the browser, JavaScript off, that
 *   calls the same handler.
 * - handleUssdRequest(deps, stkDeps, request) -> { end, text }: one gateway request.
 * - Pure: step / applyAnswers (the menus), drawScreen / drawEnd (each reply, CON or END
 *   included, <= 182 characters).
 */
import type { HudumaModule, PeriodicJob } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { ussdErrors } from './ussd-errors.ts';
import { sweep } from './ussd-repo.ts';
import { ussdRoutes } from './ussd-routes.ts';

export { ussdErrors, type UssdErrorCode } from './ussd-errors.ts';
export { simulatorServiceCode, ussdPaths } from './ussd-paths.ts';
export { applyAnswers, step, type UssdLookups } from './ussd-menu.ts';
export {
  drawEnd,
  drawScreen,
  ussdReplyLengthMax,
  ussdScreenLengthMax,
} from './ussd-screens.ts';
export {
  handleUssdRequest,
  replyBody,
  type UssdReply,
  type UssdRequest,
} from './ussd-service.ts';
export type { UssdTables } from './ussd-tables.ts';

const dayMs = 24 * 60 * 60_000;

export const channelUssdModule: HudumaModule = {
  name: 'channel-ussd',
  errors: ussdErrors,
  messages: { en, sw },
  routes: ussdRoutes,
  periodicJobs: (deps): readonly PeriodicJob[] => [{
    name: 'channel-ussd.sweep',
    everyMs: 60 * 60_000,
    run: async () => {
      const now = deps.clock.now().getTime();
      await sweep(deps.db, { sessionsBefore: new Date(now - dayMs),
        windowsBefore: new Date(now - 2 * 60 * 60_000) });
    },
  }],
};
