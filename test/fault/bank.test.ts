/**
 * The fast bank test npm test and CI run: 8 connections move money between guarded ledger
 * accounts while random connections of the test database are terminated (the shared server
 * itself is never stopped; `npm run fault:bank` does that on a private cluster, at full size).
 * PostgreSQL only: PGlite has one connection and nothing to race.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createPostgresDatabase, postgresAdminUrl, postgresProblem } from
  '#test/helpers/databases.ts';
import { formatBankResult, openBankDatabase } from './bank-report.ts';
import { runBankTest } from './bank-run.ts';

it('money moved by 8 connections under killed connections: exactly the acknowledged entries, ' +
  'totals constant, no guarded balance below zero',
{ skip: postgresProblem === undefined ? false : `PostgreSQL not reachable: ${postgresProblem}`,
  timeout: 180_000 }, async () => {
  const created = await createPostgresDatabase();
  const workers = 8;
  const database = await openBankDatabase(created.url, workers);
  try {
    const result = await runBankTest({
      database, adminUrl: postgresAdminUrl, databaseName: new URL(created.url).pathname.slice(1),
      workers, operations: 3000, payers: 3, invoices: 4, seed: 11, connectionKillEveryMs: 150,
      progress: () => undefined,
    });
    const report = formatBankResult(result);
    assert.deepEqual(result.check.problems, [], report);
    assert.ok(result.figures.connectionsKilled > 0 && result.figures.resent > 0, report);
    assert.ok(result.figures.refused > 0, `some operations found the money gone\n${report}`);
    assert.ok(result.figures.byKind['refund-cancel'].posted > 0, report);
  } finally {
    await database.close();
    await created.drop();
  }
});
