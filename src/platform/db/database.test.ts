import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { appRole, migrate, pendingMigrations } from './index.ts';

// As the owner: these tests apply migrations of their own, which the app role may not.
describeOnDatabases('database layer', (database) => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'huduma-migrations-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('maps int8 to bigint both ways, beyond 2^53', async () => {
    const big = 9_007_199_254_740_993n;
    const result = await sql<{ value: bigint; doubled: bigint }>`
      select ${big}::int8 as value, ${big}::int8 * 2 as doubled`.execute(database().db);
    assert.equal(result.rows[0]?.value, big);
    assert.equal(result.rows[0]?.doubled, big * 2n);
  });

  it('applies migrations in order, once, and records them', async () => {
    await writeFile(path.join(folder, '202601010000_create-widget.sql'),
      'create table test_widget (id int primary key);');
    await writeFile(path.join(folder, '202601010001_add-widget-name.sql'),
      'alter table test_widget add column name text not null default \'x\';\n' +
      'insert into test_widget (id) values (1);');
    const first = await migrate(database().db, { directory: folder });
    assert.deepEqual(first.applied,
      ['202601010000_create-widget.sql', '202601010001_add-widget-name.sql']);
    const second = await migrate(database().db, { directory: folder });
    assert.deepEqual(second.applied, []);
    assert.equal(second.alreadyApplied, 2);
    const rows = await sql<{ name: string }>`select name from test_widget`.execute(database().db);
    assert.deepEqual(rows.rows, [{ name: 'x' }]);
    assert.deepEqual(await pendingMigrations(database().db, folder), []);
  });

  it('leaves the database as it was when a migration fails', async () => {
    await writeFile(path.join(folder, '202601010002_break-things.sql'),
      'create table test_half (id int);\ninsert into test_widget (id) values (1);');
    await assert.rejects(migrate(database().db, { directory: folder }), /duplicate key/);
    const half = await sql<{ found: string | null }>`
      select to_regclass('test_half')::text as found`.execute(database().db);
    assert.equal(half.rows[0]?.found, null);
    assert.deepEqual(await pendingMigrations(database().db, folder),
      ['202601010002_break-things.sql']);
    await rm(path.join(folder, '202601010002_break-things.sql'));
  });

  it('refuses a migration changed after it was applied', async () => {
    await writeFile(path.join(folder, '202601010000_create-widget.sql'),
      'create table test_widget (id bigint primary key);');
    await assert.rejects(migrate(database().db, { directory: folder }), /frozen/);
  });

  it('rejects badly named migration files', async () => {
    await writeFile(path.join(folder, 'oops.sql'), 'select 1;');
    await assert.rejects(migrate(database().db, { directory: folder }), /YYYYMMDDHHMM/);
    await rm(path.join(folder, 'oops.sql'));
  });

  it('rolls back a failed transaction and keeps serving queries', async () => {
    await assert.rejects(database().db.transaction().execute(async (trx) => {
      await sql`insert into test_widget (id) values (2)`.execute(trx);
      throw new Error('abandon');
    }), /abandon/);
    const count = await sql<{ n: bigint }>`select count(*) as n from test_widget`
      .execute(database().db);
    assert.equal(count.rows[0]?.n, 1n);
  });
}, 'owner');

describeOnDatabases('app database role', (database) => {
  it('runs as the app role, which owns nothing and may not create or alter', async () => {
    const who = await sql<{ name: string }>`select current_user as name`.execute(database().db);
    assert.equal(who.rows[0]?.name, appRole);
    await assert.rejects(sql`create table test_intruder (id int)`.execute(database().db),
      /permission denied for schema public/);
    await assert.rejects(sql`alter table service add column intruder text`.execute(database().db),
      /must be owner of table service/);
    await assert.rejects(sql`insert into schema_migration (name, checksum) values ('x', 'y')`
      .execute(database().db), /permission denied for table schema_migration/);
  });

  it('may only read and append to the records of what happened', async () => {
    const appendOnly = ['audit_record', 'ledger_account', 'ledger_entry', 'ledger_line',
      'payment_callback_raw', 'payment_callback_outcome', 'payment_event', 'payment_allocation',
      'stk_push_event', 'receipt', 'invoice_line'];
    for (const table of appendOnly) {
      for (const statement of [sql`delete from ${sql.table(table)}`,
        sql`truncate ${sql.table(table)} cascade`]) {
        await assert.rejects(statement.execute(database().db),
          new RegExp(`permission denied for table ${table}`));
      }
      await sql`select count(*) from ${sql.table(table)}`.execute(database().db);
    }
    await assert.rejects(sql`update receipt set number = number`.execute(database().db),
      /permission denied for table receipt/);
  });

  it('reads and writes the working tables', async () => {
    await sql`insert into rate_limit_counter (bucket, window_started_at, hits)
      values ('test', now(), 1)`.execute(database().db);
    await sql`update rate_limit_counter set hits = 2 where bucket = 'test'`.execute(database().db);
    await sql`delete from rate_limit_counter where bucket = 'test'`.execute(database().db);
  });
});
