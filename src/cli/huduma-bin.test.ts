import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';

const repo = path.resolve(import.meta.dirname, '../..');

async function run(command: string, args: readonly string[]) {
  // Only the system's own tools on the PATH: the pinned Node must be found by bin/huduma.
  const child = spawn(command, [...args], {
    env: { PATH: '/usr/bin:/bin', HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const [code] = await once(child, 'exit') as [number | null];
  return { code, output };
}

it('bin/huduma runs with the pinned Node through links, as npx calls it', async () => {
  // npx's cache: node_modules/huduma links the repo, node_modules/.bin/huduma links the bin.
  const cache = await mkdtemp(path.join(tmpdir(), 'huduma-npx-'));
  try {
    await mkdir(path.join(cache, 'node_modules', '.bin'), { recursive: true });
    await symlink(repo, path.join(cache, 'node_modules', 'huduma'));
    const linked = path.join(cache, 'node_modules', '.bin', 'huduma');
    await symlink('../huduma/bin/huduma', linked);
    for (const command of [linked, path.join(repo, 'bin', 'huduma')]) {
      const { code, output } = await run(command, ['help']);
      assert.equal(code, 0, output);
      assert.match(output, /Usage: huduma <command>/);
    }
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});
