/**
 * Which population register a deployment uses: the HTTP adapter when one is configured, the
 * synthetic register in development, demo and tests, and in production without one a register
 * that is never reachable (registration is refused, never granted on made-up people).
 */
import { err } from '#platform/errors/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { httpPopulationRegister } from './http-register.ts';
import type { PopulationRegister } from './population-register.ts';
import { syntheticRegister } from './synthetic-register.ts';

export const absentRegister: PopulationRegister = Object.freeze({
  verifyPerson: async () => err('unavailable' as const),
  findDependants: async () => err('unavailable' as const),
  findBusinessesDirectedBy: async () => err('unavailable' as const),
});

export function registerFor(deps: Pick<ModuleDeps, 'config' | 'logger'>): PopulationRegister {
  const url = deps.config.populationRegisterUrl;
  if (url !== undefined) return httpPopulationRegister({ baseUrl: url });
  if (deps.config.environment === 'production') {
    deps.logger.warn('HUDUMA_POPULATION_REGISTER_URL is not set: registration is refused');
    return absentRegister;
  }
  return syntheticRegister();
}
