/**
 * Identity: public accounts checked against the population register, sign-in with password
 * and one-time code, sessions, acting for dependants and businesses, staff with TOTP and roles,
 * and the enforcement of every route's access declaration (accessControl, registered by the
 * app for all routes). Permissions and roles themselves are in the authorisation module.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { HudumaModule, ModuleDeps } from '#platform/module.ts';
import { accountRoutes } from './account-routes.ts';
import type { IdentityDeps } from './identity-deps.ts';
import { identityErrors } from './identity-errors.ts';
import {
  passwordHashesConcurrentMax,
  passwordHashesQueuedMax,
  passwordHashQueueWaitMsMax,
  passwordHashRetryAfterSeconds,
} from './identity-limits.ts';
import { identityPaths } from './identity-paths.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { passwordHashGate } from './password-hash-gate.ts';
import { profileRoutes } from './profile-routes.ts';
import { registerFor, type PopulationRegister } from './register/index.ts';
import { loadSecretBox } from './secret-box.ts';
import { loadIdentitySecrets } from './secret-repo.ts';
import { sealLegacyTotpSecrets } from './staff-secrets.ts';
import { staffRoutes } from './staff-routes.ts';

export {
  accessControl,
  signInPathFor,
  signInReturnOf,
  type AccessControl,
  type CredentialResolver,
} from './access-control.ts';
export { findAccountContactsInTrx, type AccountContact } from './contact-service.ts';
export { identityErrors, type IdentityErrorCode } from './identity-errors.ts';
export { identityCookieNames } from './identity-cookies.ts';
export type { IdentityDeps } from './identity-deps.ts';
export * as identityLimits from './identity-limits.ts';
export { identityPaths } from './identity-paths.ts';
export type { IdentityTables } from './identity-tables.ts';
export {
  readAccountDetailsInTrx,
  type AccountDetails,
} from './personal-data-service.ts';
export {
  demoPeople,
  httpPopulationRegister,
  syntheticPeople,
  syntheticRegister,
  type PopulationRegister,
  type RegisterPerson,
} from './register/index.ts';
export {
  appointStaff,
  createStaff,
  createStaffFromCommandLine,
  type AppointedStaff,
  type CreatedStaff,
  type NewStaffForm,
} from './staff-service.ts';
export { demoCredentials, demoStaff, seedIdentityDemoData } from './identity-demo.ts';
export { base32Decode, hotp, totpStepAt } from './totp.ts';
export { startSessionInTrx, type StartedSession } from './session-service.ts';
export { loadSecretBox, type SecretBox } from './secret-box.ts';
export { csrfTokenForSession } from './secret-repo.ts';
export { hashPassword } from './password-hashing.ts';
export { displayNameOf } from './signed-in-view.ts';

export type IdentityModuleOptions = Readonly<{
  /** The population register; by default as configured (registerFor). */
  register?: (deps: ModuleDeps) => PopulationRegister;
}>;

export async function identityDepsOf(
  deps: ModuleDeps,
  register: PopulationRegister,
): Promise<IdentityDeps> {
  return {
    ...deps, register, secrets: await loadIdentitySecrets(deps.db, deps.clock.now()),
    secretBox: await loadSecretBox(deps.config),
    passwordGate: passwordHashGate({ concurrentMax: passwordHashesConcurrentMax,
      queuedMax: passwordHashesQueuedMax, queueWaitMsMax: passwordHashQueueWaitMsMax }),
  };
}

export function createIdentityModule(options: IdentityModuleOptions = {}): HudumaModule {
  return {
    name: 'identity',
    errors: identityErrors,
    messages: { en, sw },
    navigation: [{ href: identityPaths.account, labelKey: 'identity.nav.account' }],
    staffNavigation: [{ href: identityPaths.staffHome, labelKey: 'identity.nav.staffHome' }],
    routes: async (app, deps) => {
      const register = options.register?.(deps) ?? registerFor(deps);
      const identity = await identityDepsOf(deps, register);
      await sealLegacyTotpSecrets(identity);
      // Per-process, per-address limit on the sign-in and code routes that opt in. A client
      // gone before the limit is checked (a broken chunked body closes the socket) has no
      // address left, on which the default key would throw: its answer goes nowhere anyway.
      await app.register(fastifyRateLimit, { global: false,
        keyGenerator: (request) => (request.ip as string | undefined) ?? 'gone' });
      // "Busy" (password hashing is full) and "register unavailable" say when to come back.
      app.addHook('onSend', async (_request, reply, payload) => {
        if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) {
          reply.header('retry-after', String(passwordHashRetryAfterSeconds));
        }
        return payload;
      });
      await accountRoutes(app, identity);
      await profileRoutes(app, identity);
      await staffRoutes(app, identity);
    },
  };
}

export const identityModule: HudumaModule = createIdentityModule();
