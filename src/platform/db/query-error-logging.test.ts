import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createLogger } from '../logging/index.ts';

/** What a failed query's error, logged as the error handler logs it, writes out. */
async function loggedFailure(run: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => {
    lines.push(line);
  } } });
  const error = await run().then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof Error, 'the query failed');
  logger.error({ err: error }, 'request failed');
  return lines.join('');
}

describeOnDatabases('a failed query in the logs', (database) => {
  const idNumber = '31415926';
  const name = 'Wanjiku Kamau';
  const passwordHash = 'scrypt$16384$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
  const email = 'wanjiku@example.org';

  it('never writes the query\'s parameters', async () => {
    const line = await loggedFailure(() => sql`
      select ${idNumber}::text, ${name}::text, ${'1984-02-29'}::date, ${passwordHash}::text,
        1 / ${0}::int`.execute(database().db));
    assert.match(line, /division by zero/);
    for (const value of [idNumber, name, passwordHash, '1984-02-29']) {
      assert.ok(!line.includes(value), `${value} is not logged`);
    }
  });

  it('never writes the value a data exception quotes', async () => {
    const line = await loggedFailure(() =>
      sql`select ${name}::int`.execute(database().db));
    assert.match(line, /invalid input syntax for type integer/);
    assert.ok(!line.includes('Wanjiku'), line);
  });

  it('never writes the duplicate key PostgreSQL names in its detail', async () => {
    const db = database().db;
    const line = await loggedFailure(() => db.connection().execute(async (connection) => {
      await sql`create temporary table contact (email text unique)`.execute(connection);
      await sql`insert into contact values (${email})`.execute(connection);
      await sql`insert into contact values (${email})`.execute(connection);
    }));
    assert.match(line, /duplicate key value violates unique constraint/);
    assert.ok(!line.includes(email), line);
  });
});
