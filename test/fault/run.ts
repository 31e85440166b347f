/**
 * `npm run fault`: the whole standing fault suite at its full counts, one part after another
 * (each its own `npm run fault:<part>` script, so each runs in a fresh process), with the
 * parts' progress as it comes and a summary at the end: which passed, in how long. A part is
 * any `fault:<name>` script in package.json, in the order of RELIABILITY.md; name parts to run
 * only those (`npm run fault -- crash bank`). Exit 1 when any part failed.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './crash-app.ts';

/** The order of RELIABILITY.md's sections; parts not listed here run after these. */
const sectionOrder = ['crash', 'scale-out', 'bank', 'fuzz', 'overload', 'backup'];

export function faultParts(scripts: Readonly<Record<string, string>>): string[] {
  const parts = Object.keys(scripts).filter((name) => name.startsWith('fault:'))
    .map((name) => name.slice('fault:'.length));
  const rank = (part: string) => {
    const index = sectionOrder.indexOf(part);
    return index === -1 ? sectionOrder.length : index;
  };
  return parts.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function runPart(part: string, label: string): Promise<{ ok: boolean; seconds: number }> {
  const startedAt = Date.now();
  process.stdout.write(`\n=== ${label} fault:${part} ===\n`);
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', `fault:${part}`], {
      cwd: repositoryRoot, stdio: 'inherit',
    });
    child.on('close', (code) => {
      const seconds = (Date.now() - startedAt) / 1000;
      process.stdout.write(`=== ${label} fault:${part}: ${code === 0 ? 'ok' : 'FAILED'} in ` +
        `${seconds.toFixed(0)} s ===\n`);
      resolve({ ok: code === 0, seconds });
    });
  });
}

async function main(only: readonly string[]): Promise<boolean> {
  const packageJson = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'),
    'utf8')) as { scripts: Record<string, string> };
  const known = faultParts(packageJson.scripts);
  const unknown = only.filter((part) => !known.includes(part));
  if (unknown.length > 0) {
    process.stderr.write(`no such part: ${unknown.join(', ')} (parts: ${known.join(', ')})\n`);
    return false;
  }
  const parts = only.length === 0 ? known : known.filter((part) => only.includes(part));
  const results: Array<{ part: string; ok: boolean; seconds: number }> = [];
  for (const [index, part] of parts.entries()) {
    results.push({ part, ...await runPart(part, `${index + 1}/${parts.length}`) });
  }
  process.stdout.write('\nfault suite:\n');
  for (const result of results) {
    process.stdout.write(`  ${result.part.padEnd(12)} ${result.ok ? 'ok    ' : 'FAILED'} ` +
      `${result.seconds.toFixed(0).padStart(5)} s\n`);
  }
  const ok = results.every((result) => result.ok);
  process.stdout.write(ok ? 'OK\n' : 'FAILED\n');
  return ok;
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)) ? 0 : 1);
