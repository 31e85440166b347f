/**
 * Staff authenticator secrets as stored: sealed (secret-box.ts) with the member of staff's id.
 * A secret stored before sealing began is read as it is, and sealed at the next start.
 */
import { identityDb, type IdentityDeps } from './identity-deps.ts';
import { isSealed, sealedPrefix, type SecretBox } from './secret-box.ts';

/** The secret of this member of staff, from its stored form. */
export function openTotpSecret(box: SecretBox, stored: string, staffId: string): string {
  return isSealed(stored) ? box.open(stored, staffId) : stored;
}

/** Seals every secret still stored in the clear; returns how many. Safe to run at every start. */
export async function sealLegacyTotpSecrets(
  deps: Pick<IdentityDeps, 'db' | 'secretBox' | 'clock'>,
): Promise<number> {
  const db = identityDb(deps);
  const rows = await db.selectFrom('staff_member').select(['id', 'totp_secret'])
    .where('totp_secret', 'is not', null)
    .where('totp_secret', 'not like', `${sealedPrefix}%`).execute();
  const now = deps.clock.now();
  for (const row of rows) {
    if (row.totp_secret === null) continue;
    // Only where still clear: two processes starting together seal each secret once.
    await db.updateTable('staff_member')
      .set({ totp_secret: deps.secretBox.seal(row.totp_secret, row.id), updated_at: now })
      .where('id', '=', row.id).where('totp_secret', '=', row.totp_secret).execute();
  }
  return rows.length;
}
