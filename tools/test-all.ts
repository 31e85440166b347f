/**
 * `npm test`: type-check, lint, then every test file (unit, both databases, browser) in one
 * run of Node's test runner. Prints each step as it starts, and at the end every test that
 * was skipped for want of PostgreSQL or Chromium. CI sets HUDUMA_REQUIRE_ALL_TESTS=1, which
 * turns those skips into failures. A full run (no file arguments) also measures line coverage
 * and, when nothing was skipped, holds each folder to its floor (tools/coverage.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coverageByFolder, judgeCoverage, type FileLines, type Floors } from './coverage.ts';

const bin = (name: string) => path.join('node_modules', '.bin', name);
const scratch = mkdtempSync(path.join(tmpdir(), 'huduma-test-'));
const skipReport = path.join(scratch, 'skips.txt');
const tapReport = path.join(scratch, 'report.tap');
const coverageReport = path.join(scratch, 'coverage.json');
const testFiles = [
  'src/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts',
];

function run(label: string, command: string, args: readonly string[]): Promise<number> {
  const startedAt = Date.now();
  process.stdout.write(`\n=== ${label} ===\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: { ...process.env, HUDUMA_SKIP_REPORT_FILE: skipReport,
        HUDUMA_COVERAGE_FILE: coverageReport },
    });
    child.on('close', (code) => {
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
      process.stdout.write(`=== ${label}: ${code === 0 ? 'ok' : 'FAILED'} in ${seconds} s ===\n`);
      resolve(code ?? 1);
    });
  });
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function tapCount(tap: string, name: string): number {
  const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
  return match === null ? 0 : Number(match[1]);
}

const only = process.argv.slice(2);
const floorsFile = path.join('tools', 'coverage-floors.json');
const floors = JSON.parse(readFileSync(floorsFile, 'utf8')) as Floors;
const failures: string[] = [];
if (only.length === 0) {
  if (await run('1/3 type-check (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']) !== 0) {
    failures.push('type-check');
  }
  if (await run('2/3 lint (eslint)', bin('eslint'), ['--max-warnings', '0', '.']) !== 0) {
    failures.push('lint');
  }
}
// A full run also collects line coverage for the ratchet (tools/coverage.ts).
const coverage = only.length === 0 ? [
  '--experimental-test-coverage', '--test-coverage-include=src/**',
  '--test-coverage-exclude=**/*.test.ts',
] : [];
const testCode = await run('3/3 tests (node --test, PGlite + PostgreSQL + Chromium)',
  process.execPath, [
    '--test', '--test-concurrency=2', '--test-timeout=300000',
    '--test-reporter=./tools/spec-reporter.ts', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapReport}`,
    ...coverage,
    ...(only.length > 0 ? only : testFiles),
  ]);
if (testCode !== 0) failures.push('tests');

const skips = [...new Set(readOr(skipReport, '').split('\n').filter((line) => line !== ''))];
if (skips.length > 0) {
  const banner = '!'.repeat(78);
  process.stdout.write(`\n${banner}\nSKIPPED PARTS OF THE SUITE (set up what is missing, or ` +
    'run .ci/run):\n');
  for (const skip of skips) process.stdout.write(`  - ${skip}\n`);
  process.stdout.write(`${banner}\n`);
}
if (only.length === 0) {
  const files = JSON.parse(readOr(coverageReport, '[]')) as FileLines[];
  const folders = coverageByFolder(files, floors);
  const { lines, failed: below } = judgeCoverage(folders);
  process.stdout.write(`\nline coverage (floors: tools/coverage-floors.json):\n`);
  for (const line of lines) process.stdout.write(`  ${line}\n`);
  // A run that skipped parts of the suite covers less; only a full run is held to the floors.
  if (skips.length > 0) process.stdout.write('  not checked: parts of the suite were skipped\n');
  else if (below.length > 0) failures.push('coverage');
}
const tap = readOr(tapReport, '');
rmSync(scratch, { recursive: true, force: true });
const passed = tapCount(tap, 'pass');
const failed = tapCount(tap, 'fail') + tapCount(tap, 'cancelled');
const skipped = tapCount(tap, 'skipped');
process.stdout.write(`\n${failures.length === 0 ? 'OK' : `FAILED (${failures.join(', ')})`}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failures.length === 0 ? 0 : 1);
