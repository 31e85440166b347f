/**
 * `huduma staff create --role platform-admin --email ... --name ... [--agency slug]`: appoints a
 * member of staff from the shell (how the first platform administrator is made) and prints
 * their temporary password and authenticator secret once.
 * `huduma staff totp-code --secret BASE32`: prints the current code for a secret (for demos
 * and tests with the documented demo secret).
 */
import { parseArgs } from 'node:util';
import {
  base32Decode,
  createStaffFromCommandLine,
  hotp,
  identityDepsOf,
  syntheticRegister,
  totpStepAt,
} from '#modules/identity/index.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

type Output = Pick<NodeJS.WriteStream, 'write'>;

export async function runStaffCreate(
  args: readonly string[],
  output: Output,
  errors: Output,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' },
      agency: { type: 'string' },
    },
    strict: true,
  });
  if (values.role === undefined || values.email === undefined) {
    errors.write(`usage: ${staffCreateCommand.usage}\n`);
    return 2;
  }
  const role = values.role;
  const email = values.email;
  return withDatabase(async (deps) => {
    const identity = await identityDepsOf(deps, syntheticRegister());
    const created = await createStaffFromCommandLine(identity, {
      email, displayName: values.name ?? email, role, agencySlug: values.agency,
    });
    if (!created.ok) {
      const fields = Object.keys(created.error.fields ?? {}).join(', ');
      errors.write(`could not create staff: ${created.error.code}` +
        `${fields === '' ? '' : ` (${fields})`}\n`);
      return 1;
    }
    output.write([
      `created ${role} ${created.value.email} (${created.value.staffId})`,
      'Give these to the person privately; they are not shown again:',
      `  temporary password:   ${created.value.temporaryPassword}`,
      `  authenticator secret: ${created.value.totpSecret}`,
      `  authenticator link:   ${created.value.otpauthUri}`,
      '',
    ].join('\n'));
    return 0;
  });
}

export const staffCreateCommand: CliCommand = {
  words: ['staff', 'create'],
  usage: 'huduma staff create --role ROLE --email EMAIL [--name NAME] [--agency SLUG]',
  summary: 'Appoint a member of staff (e.g. the first platform-admin); prints their secrets once.',
  run: async (args) => runStaffCreate(args, process.stdout, process.stderr),
};

export const staffTotpCodeCommand: CliCommand = {
  words: ['staff', 'totp-code'],
  usage: 'huduma staff totp-code --secret BASE32',
  summary: 'Print the current authenticator code for a secret (demo staff, tests).',
  run: async (args) => {
    const { values } = parseArgs({
      args: [...args], options: { secret: { type: 'string' } }, strict: true,
    });
    if (values.secret === undefined) {
      process.stderr.write(`usage: ${staffTotpCodeCommand.usage}\n`);
      return 2;
    }
    process.stdout.write(`${hotp(base32Decode(values.secret), totpStepAt(new Date()))}\n`);
    return 0;
  },
};
