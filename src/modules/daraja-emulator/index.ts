/**
 * The Daraja emulator: a fake Safaricom speaking Daraja's HTTP contract (OAuth, C2B register /
 * validation / confirmation, STK push and query, transaction status, pull transactions, the
 * statement export, B2C, reversal, a sweep to the bank), with failure injection by the
 * payer's last four digits. In the app it is mounted at config.mpesa.emulatorPath when
 * config.mpesa.emulator is on (never in production), so `npm start` takes payments with no
 * outside service. See docs/daraja-emulator.md.
 */
import type { MpesaConfig } from '#config';
import type { HudumaModule, ModuleDeps } from '#platform/module.ts';
import { darajaEmulatorErrors } from './daraja-emulator-errors.ts';
import { darajaEmulatorRoutes } from './emulator-routes.ts';
import { createDarajaEmulator, type DarajaEmulatorOptions } from './emulator-service.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export type { C2bCommand, C2bOutcome } from './emulator-c2b.ts';
export type {
  EmulatorSettings,
  EmulatorShortcode,
  EmulatorTiming,
  MsisdnPrivacy,
} from './emulator-context.ts';
export {
  hashMsisdn,
  kenyaTimestamp,
  maskMsisdn,
  stkPassword,
} from './emulator-formats.ts';
export {
  outflowScenarioTable,
  type OutflowScenario,
  type OutflowScenarioRow,
} from './emulator-outflow-scenarios.ts';
export { statementColumns } from './emulator-pull.ts';
export { darajaEmulatorRoutes, type EmulatorRoutesOptions } from './emulator-routes.ts';
export {
  scenarioForPhone,
  scenarioTable,
  type PaymentScenario,
  type ScenarioRow,
} from './emulator-scenarios.ts';
export {
  manualScheduler,
  timerScheduler,
  type ManualScheduler,
  type Scheduler,
} from './emulator-scheduler.ts';
export { startDarajaEmulatorServer, type EmulatorServer } from './emulator-server.ts';
export {
  createDarajaEmulator,
  defaultTiming,
  type DarajaApiOperation,
  type DarajaEmulator,
  type DarajaEmulatorOptions,
  type SimulatedPayment,
} from './emulator-service.ts';
export type { EmulatorSnapshot } from './emulator-snapshot.ts';
export { outflowReasonTypes } from './emulator-status.ts';
export type {
  CallbackKind,
  CallbackOutcome,
  EmulatedTransaction,
  SentCallback,
} from './emulator-state.ts';

/** The paybill name shown in statements and status results. */
const organizationName = 'HUDUMA';

/** Credentials, shortcode and passkey the emulator accepts: the platform's own, from config. */
export function emulatorAccountsFromConfig(mpesa: MpesaConfig):
  Pick<DarajaEmulatorOptions, 'credentials' | 'shortcodes' | 'initiator'> {
  return {
    credentials: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
    shortcodes: [{ shortcode: mpesa.shortcode, passkey: mpesa.passkey, organizationName }],
    initiator: { name: mpesa.initiator, securityCredential: mpesa.securityCredential },
  };
}

async function mountEmulator(
  app: Parameters<NonNullable<HudumaModule['routes']>>[0],
  deps: ModuleDeps,
): Promise<void> {
  const { mpesa } = deps.config;
  if (!mpesa.emulator) return;
  // loadConfig refuses this already; a fake paybill must never run beside real money.
  if (deps.config.environment === 'production') {
    throw new Error('the Daraja emulator cannot run in production');
  }
  const emulator = createDarajaEmulator({
    ...emulatorAccountsFromConfig(mpesa),
    clock: deps.clock,
    logger: deps.logger,
  });
  app.addHook('onClose', async () => emulator.close());
  await app.register(darajaEmulatorRoutes, { emulator, prefix: mpesa.emulatorPath });
}

export const darajaEmulatorModule: HudumaModule = {
  name: 'daraja-emulator',
  errors: darajaEmulatorErrors,
  messages: { en, sw },
  routes: mountEmulator,
};
