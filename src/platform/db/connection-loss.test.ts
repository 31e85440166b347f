/**
 * A connection that dies while the app holds it (in a transaction, between two statements:
 * the server restarted, an administrator or a failover terminated it) fails that transaction
 * and nothing else: the process goes on, and the pool serves the next query on a new
 * connection. Found by the fault suite's bank test (test/fault/), whose killed connections
 * ended the whole process through an 'error' event nobody listened to.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { adminQuery, describeOnDatabases } from '#test/helpers/databases.ts';

describeOnDatabases('a connection lost while held', (database, kind) => {
  it('fails its transaction; the process and the pool go on', { skip: kind === 'pglite'
    ? 'PGlite has no connections to lose' : false }, async () => {
    await assert.rejects(database().db.transaction().execute(async (trx) => {
      const backend = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await adminQuery(`select pg_terminate_backend(${backend.rows[0]?.pid ?? 0})`);
      // The server's goodbye arrives while no query runs on the connection.
      await sleep(300);
      await sql`select 1`.execute(trx);
    }));
    const after = await sql<{ one: number }>`select 1 as one`.execute(database().db);
    assert.equal(after.rows[0]?.one, 1);
  });
});
