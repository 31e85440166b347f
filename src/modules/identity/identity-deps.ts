/** What identity's use cases need besides the platform: the register and the shared keys. */
import type { Kysely } from 'kysely';
import type { ModuleDeps } from '#platform/module.ts';
import type { IdentityTables } from './identity-tables.ts';
import type { PasswordHashGate } from './password-hash-gate.ts';
import type { PopulationRegister } from './register/index.ts';
import type { SecretBox } from './secret-box.ts';
import type { IdentitySecrets } from './secret-repo.ts';

export type IdentityDeps = ModuleDeps & Readonly<{
  register: PopulationRegister;
  secrets: IdentitySecrets;
  /** Seals staff authenticator secrets (a key outside the database). */
  secretBox: SecretBox;
  /** Limits password hashing in this process (password-hash-gate.ts). */
  passwordGate: PasswordHashGate;
}>;

export function identityDb(deps: Pick<ModuleDeps, 'db'>): Kysely<IdentityTables> {
  return deps.db.withTables<IdentityTables>();
}

/** Where a request came from, for rate limits and the audit log (never for logs). */
export type RequestSource = Readonly<{
  address: string;
  deviceLabel: string;
  /** The browser's device tokens cookie, if any (trusted-device.ts). */
  deviceTokens?: string | undefined;
}>;
