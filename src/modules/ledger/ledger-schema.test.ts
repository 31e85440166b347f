/**
 * The database guards the ledger on its own, whatever the code does: written straight in SQL,
 * an unbalanced entry fails at commit, and nothing posted can be changed or removed.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { actAsOwnerInTrx, describeOnDatabases } from '#test/helpers/databases.ts';

type Line = readonly [account: string, currency: string, side: 'debit' | 'credit', amount: bigint];

async function insertEntry(
  db: Kysely<unknown>,
  lines: readonly Line[],
  currency = 'KES',
): Promise<string> {
  const id = uuidv7();
  await sql`insert into ledger_entry (id, code, currency, idempotency_key, occurred_at)
    values (${id}, 'TEST_ENTRY_POSTED', ${currency}, ${`test:${id}`}, now())`.execute(db);
  for (const [index, [account, lineCurrency, side, amount]] of lines.entries()) {
    await sql`insert into ledger_line
      (entry_id, line_number, account_code, currency, side, amount_minor)
      values (${id}, ${index + 1}, ${account}, ${lineCurrency}, ${side}, ${amount})`.execute(db);
  }
  return id;
}

async function countEntries(db: Kysely<unknown>): Promise<bigint> {
  const result = await sql<{ count: bigint }>`select count(*) as count from ledger_entry`
    .execute(db);
  return result.rows[0]?.count ?? -1n;
}

describeOnDatabases('ledger schema guards', (database) => {
  const db = () => database().db as unknown as Kysely<unknown>;
  let balancedId = '';

  before(async () => {
    await sql`insert into ledger_account (code, currency, kind, type, normal_side) values
      ('collection:mpesa:222222', 'KES', 'collection:mpesa', 'asset', 'debit'),
      ('suspense', 'KES', 'suspense', 'liability', 'credit'),
      ('suspense', 'USD', 'suspense', 'liability', 'credit'),
      ('collection:card:visa', 'USD', 'collection:card', 'asset', 'debit')`.execute(db());
    balancedId = await db().transaction().execute((trx) => insertEntry(trx, [
      ['collection:mpesa:222222', 'KES', 'debit', 150_00n],
      ['suspense', 'KES', 'credit', 150_00n],
    ]));
  });

  it('commits a balanced entry', async () => {
    assert.equal(await countEntries(db()), 1n);
  });

  it('refuses at commit an entry whose debits and credits differ', async () => {
    await assert.rejects(db().transaction().execute((trx) => insertEntry(trx, [
      ['collection:mpesa:222222', 'KES', 'debit', 150_00n],
      ['suspense', 'KES', 'credit', 149_99n],
    ])), /does not balance: debits 15000, credits 14999/);
    assert.equal(await countEntries(db()), 1n);
  });

  it('refuses at commit an entry with no line, or one line', async () => {
    await assert.rejects(db().transaction().execute((trx) => insertEntry(trx, [])),
      /has 0 line\(s\); an entry needs at least two/);
    await assert.rejects(db().transaction().execute((trx) => insertEntry(trx, [
      ['suspense', 'KES', 'credit', 1n],
    ])), /has 1 line\(s\)/);
    assert.equal(await countEntries(db()), 1n);
  });

  it('refuses lines in another currency than their entry, even balanced', async () => {
    await assert.rejects(db().transaction().execute((trx) => insertEntry(trx, [
      ['collection:card:visa', 'USD', 'debit', 5n],
      ['suspense', 'USD', 'credit', 5n],
    ], 'KES')), /not in its currency KES/);
  });

  it('refuses a line on an account that does not hold its currency', async () => {
    await assert.rejects(db().transaction().execute((trx) => insertEntry(trx, [
      ['collection:mpesa:222222', 'USD', 'debit', 5n],
      ['suspense', 'USD', 'credit', 5n],
    ], 'USD')), /ledger_line_account_fkey/);
  });

  it('refuses a line added later to a committed entry', async () => {
    await assert.rejects(db().transaction().execute(async (trx) => {
      await sql`insert into ledger_line
        (entry_id, line_number, account_code, currency, side, amount_minor)
        values (${balancedId}, 3, 'suspense', 'KES', 'credit', 1)`.execute(trx);
    }), /does not balance/);
  });

  it('refuses zero and negative amounts, and unknown sides', async () => {
    for (const [side, amount] of [['debit', 0n], ['credit', -1n], ['both', 1n]] as const) {
      await assert.rejects(db().transaction().execute((trx) => insertEntry(trx, [
        ['collection:mpesa:222222', 'KES', side as 'debit', amount],
        ['suspense', 'KES', 'credit', amount],
      ])), /ledger_line_amount_minor_check|ledger_line_side_check/);
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of entries, lines and accounts: the app by its ' +
    'role, anyone by triggers', async () => {
    const statements = [
      sql`update ledger_line set amount_minor = 1`,
      sql`delete from ledger_line`,
      sql`truncate ledger_line`,
      sql`update ledger_entry set code = 'OTHER'`,
      sql`delete from ledger_entry`,
      sql`truncate ledger_entry cascade`,
      sql`update ledger_account set normal_side = 'debit' where code = 'suspense'`,
      sql`delete from ledger_account where code = 'suspense'`,
      sql`truncate ledger_account cascade`,
    ];
    const appDb = database().db;
    for (const statement of statements) {
      await assert.rejects(statement.execute(appDb), /permission denied for table ledger_/);
      await assert.rejects(appDb.transaction().execute(async (trx) => {
        await actAsOwnerInTrx(trx);
        await statement.execute(trx);
      }), /the ledger is append-only/);
    }
    // The one column the app may name in an UPDATE (to lock an account) is refused by trigger.
    await assert.rejects(sql`update ledger_account set kind = kind where code = 'suspense'`
      .execute(appDb), /the ledger is append-only/);
    await assert.rejects(sql`alter table ledger_line disable trigger user`.execute(appDb),
      /must be owner of table ledger_line/);
    assert.equal(await countEntries(db()), 1n);
  });

  it('lets an entry be corrected at most once', async () => {
    await assert.rejects(db().transaction().execute(async (trx) => {
      for (let count = 0; count < 2; count += 1) {
        const id = uuidv7();
        await sql`insert into ledger_entry
          (id, code, currency, idempotency_key, corrects_entry_id, occurred_at)
          values (${id}, 'ENTRY_CORRECTED', 'KES', ${`test:${id}`}, ${balancedId}, now())`
          .execute(trx);
      }
    }), /ledger_entry_corrects_entry_id_key/);
  });

  it('refuses an account whose normal side contradicts its type', async () => {
    await assert.rejects(sql`insert into ledger_account (code, currency, kind, type, normal_side)
      values ('revenue:access-fee', 'KES', 'revenue:access-fee', 'liability', 'debit')`
      .execute(db()), /ledger_account_type_side_check/);
  });
});
