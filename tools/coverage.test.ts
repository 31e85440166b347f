import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import path from 'node:path';
import { coverageByFolder, judgeCoverage, linesOfCoverageEvent } from './coverage.ts';

const root = path.resolve('/repo');
const entry = (file: string, totalLineCount: number, coveredLineCount: number) =>
  ({ path: path.join(root, ...file.split('/')), totalLineCount, coveredLineCount });

describe('coverage ratchet', () => {
  const files = linesOfCoverageEvent({ summary: { files: [
    entry('src/modules/ledger/a.ts', 100, 100), entry('src/modules/ledger/b.ts', 100, 90),
    entry('src/modules/payments/c.ts', 50, 49), entry('src/web/d.ts', 50, 25),
  ] } }, root);

  it('reads lines found and hit per file, by path from the repository root', () => {
    assert.deepEqual(files[1], { file: 'src/modules/ledger/b.ts', found: 100, hit: 90 });
  });

  it('sums each folder and fails the ones below their floor', () => {
    const folders = coverageByFolder(files, {
      'src/': 80, 'src/modules/ledger/': 96, 'src/modules/payments/': 98,
    });
    assert.deepEqual(folders.map((entry) => [entry.folder, entry.linesFound, entry.linesHit]), [
      ['src/', 300, 264], ['src/modules/ledger/', 200, 190], ['src/modules/payments/', 50, 49],
    ]);
    const { failed, lines } = judgeCoverage(folders);
    assert.deepEqual(failed, ['src/modules/ledger/']);
    assert.match(lines[1] ?? '', /95\.0% .*BELOW THE FLOOR/);
    assert.match(lines[2] ?? '', /98\.0% .*: ok$/);
  });

  it('asks for a floor to be raised when coverage has moved well above it', () => {
    const { failed, lines } = judgeCoverage(coverageByFolder(files, { 'src/': 87.5 }));
    assert.deepEqual(failed, []);
    assert.match(lines[0] ?? '', /88\.0% .*raise its floor .* to 88\.0/);
  });

  it('counts a folder with no covered files as 0%, so a wrong path fails', () => {
    const { failed } = judgeCoverage(coverageByFolder(files, { 'src/nowhere/': 1 }));
    assert.deepEqual(failed, ['src/nowhere/']);
  });
});
