/** SQL for one-time-code challenges. */
import type { Kysely, Selectable } from 'kysely';
import type {
  ChallengePurpose,
  CodeChannel,
  IdentityTables,
  VerificationChallengeTable,
} from './identity-tables.ts';

export type ChallengeRow = Selectable<VerificationChallengeTable>;

export type NewChallenge = Readonly<{
  id: string;
  tokenHash: string;
  purpose: ChallengePurpose;
  accountId: string | null;
  codeHash: string;
  channel: CodeChannel;
  destination: string;
  expiresAt: Date;
}>;

export async function insertChallengeInTrx(
  trx: Kysely<IdentityTables>,
  challenge: NewChallenge,
  now: Date,
): Promise<void> {
  await trx.insertInto('verification_challenge').values({
    id: challenge.id,
    token_hash: challenge.tokenHash,
    purpose: challenge.purpose,
    account_id: challenge.accountId,
    code_hash: challenge.codeHash,
    channel: challenge.channel,
    destination: challenge.destination,
    created_at: now,
    expires_at: challenge.expiresAt,
  }).execute();
}

/** The challenge, locked for update so concurrent tries of one code count one at a time. */
export async function findChallengeForUpdateInTrx(
  trx: Kysely<IdentityTables>,
  tokenHash: string,
  purpose: ChallengePurpose,
): Promise<ChallengeRow | undefined> {
  return trx.selectFrom('verification_challenge').selectAll()
    .where('token_hash', '=', tokenHash).where('purpose', '=', purpose)
    .forUpdate().executeTakeFirst();
}

export async function findChallenge(
  db: Kysely<IdentityTables>,
  tokenHash: string,
  purpose: ChallengePurpose,
): Promise<ChallengeRow | undefined> {
  return db.selectFrom('verification_challenge').selectAll()
    .where('token_hash', '=', tokenHash).where('purpose', '=', purpose).executeTakeFirst();
}

export async function recordWrongCodeInTrx(
  trx: Kysely<IdentityTables>,
  challengeId: string,
  attempts: number,
  lockedAt: Date | null,
): Promise<void> {
  await trx.updateTable('verification_challenge').set({ attempts, locked_at: lockedAt })
    .where('id', '=', challengeId).execute();
}

export async function consumeChallengeInTrx(
  trx: Kysely<IdentityTables>,
  challengeId: string,
  now: Date,
): Promise<void> {
  await trx.updateTable('verification_challenge').set({ consumed_at: now })
    .where('id', '=', challengeId).execute();
}
