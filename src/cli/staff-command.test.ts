/**
 * `huduma staff create` and `huduma staff totp-code` as a person runs them: a real process on
 * a fresh PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { base32Decode, hotp, totpStepAt } from '#modules/identity/index.ts';
import { createPostgresDatabase, postgresProblem } from '#test/helpers/databases.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

type Outcome = Readonly<{ code: number; stdout: string; stderr: string }>;

async function huduma(args: readonly string[], databaseUrl?: string): Promise<Outcome> {
  return run(`${root}node_modules/.bin/node`, ['src/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent',
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('huduma staff', { skip: postgresProblem === undefined ? false
  : `PostgreSQL not reachable: ${postgresProblem}` }, () => {
  it('creates the first platform administrator and prints the secrets once', async () => {
    const created = await createPostgresDatabase();
    try {
      const first = await huduma(['staff', 'create', '--role', 'platform-admin',
        '--email', 'Root@Huduma.example', '--name', 'First Admin'], created.url);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /created platform-admin root@huduma\.example/);
      assert.match(first.stdout, /temporary password: +\S{16}\n/);
      assert.match(first.stdout, /otpauth:\/\/totp\/Huduma%3Aroot%40huduma\.example\?secret=/);
      const again = await huduma(['staff', 'create', '--role', 'auditor',
        '--email', 'root@huduma.example'], created.url);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /IDENTITY_STAFF_EMAIL_TAKEN/);
      const agency = await huduma(['staff', 'create', '--role', 'agency-officer',
        '--email', 'officer@huduma.example', '--agency', 'no-such-agency'], created.url);
      assert.equal(agency.code, 1);
      assert.match(agency.stderr, /IDENTITY_AGENCY_NOT_FOUND/);
    } finally {
      await created.drop();
    }
  });

  it('refuses missing arguments with exit status 2', async () => {
    assert.equal((await huduma(['staff', 'create', '--role', 'auditor'])).code, 2);
    assert.equal((await huduma(['staff', 'totp-code'])).code, 2);
  });

  it('prints the current authenticator code of a secret', async () => {
    const printed = await huduma(['staff', 'totp-code', '--secret', 'JBSWY3DPEHPK3PXP']);
    assert.equal(printed.code, 0);
    const secret = base32Decode('JBSWY3DPEHPK3PXP');
    const step = totpStepAt(new Date());
    const near = [hotp(secret, step - 1n), hotp(secret, step), hotp(secret, step + 1n)];
    assert.ok(near.includes(printed.stdout.trim()), printed.stdout);
  });
});
