/**
 * The pay pages' use of the STK service: start a push for the payer's invoice (the service
 * records intent, calls Daraja with our callback URL, records the answer and schedules the
 * status queries) and read a push's status. The Daraja client and callback URL come from the
 * module's configuration, as the callback routes use them.
 */
import type { Failure, Result } from '#platform/errors/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { callbackPaths } from '../callback-routes.ts';
import { callbackUrl, darajaClientFor } from '../payments-routes.ts';
import { initiateStkPush, stkPushView, type StkPushView } from '../stk-service.ts';

export type StkStartInput = Readonly<{
  invoiceReference: string;
  /** As the payer typed it (checked before: 07XX, 01XX, 2547XX, +2547XX). */
  phone: string;
  /** The account asking (the payer, or whoever acts for them). */
  requestedBy: string;
  /** From the form: a repeated submission of the same form starts no second push. */
  requestKey: string;
  now: Date;
}>;

export type StkStarter = (input: StkStartInput) =>
  Promise<Result<Readonly<{ pushId: string }>, Failure>>;

export type StkPushSummary = StkPushView;

export function stkStarterFor(deps: ModuleDeps): StkStarter {
  const stkDeps = {
    ...deps,
    daraja: darajaClientFor(deps),
    stkCallbackUrl: callbackUrl(deps.config, callbackPaths.stkCallback),
  };
  return async (input) => {
    const started = await initiateStkPush(stkDeps, input);
    return started.ok ? { ok: true, value: { pushId: started.value.id } } : started;
  };
}

export async function findStkPushSummary(deps: ModuleDeps, pushId: string, now: Date):
  Promise<StkPushSummary | undefined> {
  return stkPushView(deps, pushId, now);
}
