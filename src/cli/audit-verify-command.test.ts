import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { beforeEach, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { migrate, openPostgresDatabase, type Database } from '#platform/db/index.ts';
import {
  createPostgresDatabase,
  describeOnDatabases,
  switchTriggersOffInTrx,
} from '#test/helpers/databases.ts';
import { runAuditVerify } from './audit-verify-command.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function appendSignIns(db: Database, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await db.transaction().execute((trx) => recordAuditInTrx(trx, {
      action: 'ACCOUNT_SIGNED_IN',
      actor: { kind: 'account', id: `account-${index}` },
      subject: { type: 'account', id: `account-${index}` },
    }, new Date()));
  }
}

async function tamper(db: Database, statement: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await switchTriggersOffInTrx(trx);
    await sql.raw(statement).execute(trx);
  });
}

function captured(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describeOnDatabases('huduma audit verify', (database, kind) => {
  beforeEach(async () => {
    await tamper(database().db, 'delete from audit_record');
    await tamper(database().db,
      'update audit_chain_head set sequence = 0, hash = repeat(\'0\', 64)');
  });

  const verify = async () => {
    const output = captured();
    const progress = captured();
    const code = await runAuditVerify(database().db, {
      output: output.stream,
      progress: progress.stream as unknown as NodeJS.WriteStream,
    });
    return { code, output: output.text(), progress: progress.text() };
  };

  it('exits 0 and counts the records when the chain is intact', async () => {
    await appendSignIns(database().db, 4);
    const result = await verify();
    assert.equal(result.code, 0);
    assert.match(result.output, /audit chain intact: 4 records; last hash [0-9a-f]{64}/);
    assert.match(result.progress, /verifying audit chain .*4\/4/);
  });

  it('exits 1 naming the tampered record and why', async () => {
    await appendSignIns(database().db, 4);
    await tamper(database().db, 'update audit_record set actor_id = \'someone-else\' ' +
      'where sequence = 3');
    const result = await verify();
    assert.equal(result.code, 1);
    assert.match(result.output, /BROKEN at record 3: changed: record 3 does not match its hash/);
    assert.match(result.output, /2 records before it are intact/);
    assert.match(result.output, /expected hash [0-9a-f]{64}\nfound hash {4}[0-9a-f]{64}\n/);
  });

  if (kind === 'postgres') {
    it('runs as a command: exit status 1 and the sequence on stdout', async () => {
      const created = await createPostgresDatabase();
      const handle = await openPostgresDatabase(created.url);
      try {
        await migrate(handle.db);
        await appendSignIns(handle.db, 3);
        await tamper(handle.db, 'delete from audit_record where sequence = 2');
        const run = promisify(execFile);
        const node = `${root}node_modules/.bin/node`;
        const failure = await run(node, ['src/cli/main.ts', 'audit', 'verify'], {
          cwd: root, env: { ...process.env, DATABASE_URL: created.url, LOG_LEVEL: 'silent' },
        }).then(() => undefined, (error: { code: number; stdout: string }) => error);
        assert.ok(failure !== undefined, 'the command must fail');
        assert.equal(failure.code, 1);
        assert.match(failure.stdout, /BROKEN at record 2: gap: record 2 is missing/);
      } finally {
        await handle.close();
        await created.drop();
      }
    });
  }
});
