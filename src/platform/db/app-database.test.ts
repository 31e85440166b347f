import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { sql } from 'kysely';
import {
  adminQuery,
  createPostgresDatabase,
  describeOnDatabases,
} from '#test/helpers/databases.ts';
import { appRole, openAppDatabase, UnconfinedLoginError } from './index.ts';

describeOnDatabases('opening the database as the app', (_database, kind) => {
  if (kind === 'pglite') {
    it('migrates a data folder as the owner and runs as the app role, start after start',
      async () => {
        const folder = await mkdtemp(path.join(tmpdir(), 'huduma-app-db-'));
        try {
          for (const start of [1, 2]) {
            const { database, migrations } = await openAppDatabase({
              databaseUrl: undefined,
              dataDirectory: folder,
            });
            try {
              assert.equal(migrations.applied.length > 0, start === 1);
              const who = await sql<{ name: string }>`select current_user as name`
                .execute(database.db);
              assert.equal(who.rows[0]?.name, appRole);
            } finally {
              await database.close();
            }
          }
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      });
  }

  if (kind === 'postgres') {
    it('confines a login that is only a member of the app role: it cannot leave it', async () => {
      const created = await createPostgresDatabase();
      const login = `huduma_test_web_${randomBytes(4).toString('hex')}`;
      let loginCreated = false;
      try {
        // The first open migrates and so creates the role, whatever ran on this server before.
        const first = await openAppDatabase({ databaseUrl: created.url, dataDirectory: undefined });
        await first.database.close();
        await adminQuery(`create role ${login} login in role ${appRole}`);
        loginCreated = true;
        const webUrl = new URL(created.url);
        webUrl.username = login;
        const { database } = await openAppDatabase({
          databaseUrl: webUrl.toString(),
          migrationDatabaseUrl: created.url,
          dataDirectory: undefined,
          requireConfinedLogin: true,
        });
        try {
          await database.db.transaction().execute(async (trx) => {
            await sql`set local role none`.execute(trx);
            const who = await sql<{ name: string }>`select current_user as name`.execute(trx);
            assert.equal(who.rows[0]?.name, login);
          });
          // Back at its own login it still holds only the app role's privileges.
          await assert.rejects(database.db.transaction().execute(async (trx) => {
            await sql`set local role none`.execute(trx);
            await sql`update audit_record set action = 'X'`.execute(trx);
          }), /permission denied for table audit_record/);
          await assert.rejects(sql`set role postgres`.execute(database.db),
            /permission denied to set role "postgres"/);
        } finally {
          await database.close();
        }
      } finally {
        if (loginCreated) await adminQuery(`drop role ${login}`);
        await created.drop();
      }
    });

    it('refuses, when asked to (production), a login that could leave the role', async () => {
      const created = await createPostgresDatabase();
      try {
        await assert.rejects(openAppDatabase({
          databaseUrl: created.url,
          dataDirectory: undefined,
          requireConfinedLogin: true,
        }), (error: unknown) => error instanceof UnconfinedLoginError &&
          /is a superuser or owns the tables/.test(error.message));
      } finally {
        await created.drop();
      }
    });
  }
});
