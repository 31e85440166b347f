/**
 * `huduma <command>`: operations from the shell (migrate, catalogue import, ...).
 * Run as `npx huduma ...`, `npm run huduma -- ...` or `bin/huduma ...`.
 */
import { ConfigError } from '#config';
import { commands } from './commands.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return ['Usage: huduma <command> [options]', '', 'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`), ''].join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(help());
    return 0;
  }
  const command = [...commands]
    .sort((a, b) => b.words.length - a.words.length)
    .find((candidate) => candidate.words.every((word, index) => args[index] === word));
  if (command === undefined) {
    process.stderr.write(`huduma: unknown command "${args.join(' ')}"\n\n${help()}`);
    return 2;
  }
  try {
    return await command.run(args.slice(command.words.length));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
