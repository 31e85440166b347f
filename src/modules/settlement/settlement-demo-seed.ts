/**
 * Demo bank profiles: every demo agency that charges a fee, and Treasury for the access fees,
 * is settled to an account at the Central Bank (the government's banker) on T+1 with an SLA of
 * two days. Demo numbers only; never overwrites a profile someone set.
 */
import { sql } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import { settlementDb, upsertProfileInTrx } from './settlement-repo.ts';

/** A stable 12-digit demo account number from the payee id. */
function demoAccountNumber(payee: string): string {
  const digits = [...payee.replaceAll('-', '')].map((character) =>
    (character.charCodeAt(0) % 10).toString()).join('');
  return `1000${digits.padStart(8, '0').slice(-8)}`;
}

export async function seedDemoSettlementProfiles(deps: Readonly<{ db: Database }>):
  Promise<number> {
  const agencies = await sql<{ id: string; name_en: string }>`
    select distinct a.id, a.name_en from agency a
    join service s on s.agency_id = a.id
    join fee_schedule_version f on f.service_id = s.id
    where a.origin = 'demo' and f.amount_minor > 0
      and not exists (select 1 from settlement_profile p where p.payee = a.id::text)
    order by a.id`.execute(deps.db);
  const treasuryMissing = (await settlementDb(deps.db).selectFrom('settlement_profile')
    .select('payee').where('payee', '=', 'treasury').executeTakeFirst()) === undefined;
  const payees = [...agencies.rows.map((row) => ({ payee: row.id,
    name: `${row.name_en} Collections`.slice(0, 140) })),
  ...(treasuryMissing ? [{ payee: 'treasury', name: 'National Treasury Exchequer' }] : [])];
  if (payees.length === 0) return 0;
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    for (const { payee, name } of payees) {
      await upsertProfileInTrx(settlementDb(trx), { payee, bank_name: 'Central Bank of Kenya',
        bank_code: '09', branch: 'Haile Selassie Avenue, Nairobi',
        account_number: demoAccountNumber(payee), account_name: name, schedule_days: 1,
        sla_days: 2, updated_at: now });
    }
  });
  return payees.length;
}
