/**
 * The coverage ratchet (STYLE 38): line coverage per folder, as Node's test runner measures it
 * in a full `npm test` (tools/spec-reporter.ts writes it down), against the floors in
 * tools/coverage-floors.json. A folder below its floor fails the run; a folder well above it
 * is told to raise the floor, so coverage only goes up. The goal for ledger/ and payments/ is
 * 100%; their floors sit just under where they stand today.
 */
import path from 'node:path';

export type Floors = Readonly<Record<string, number>>;

export type FolderCoverage = Readonly<{
  folder: string;
  linesFound: number;
  linesHit: number;
  percent: number;
  floor: number;
}>;

/** A floor this far below the coverage is stale: the report asks for it to be raised. */
export const raiseFloorAbovePoints = 0.5;

export type FileLines = Readonly<{ file: string; found: number; hit: number }>;

/** What Node's test runner reports as `test:coverage` (the part read here). */
export type CoverageEvent = Readonly<{
  summary: Readonly<{
    files: readonly Readonly<{ path: string; totalLineCount: number; coveredLineCount: number }>[];
  }>;
}>;

/** Lines found and hit per source file, paths relative to `root` with forward slashes. */
export function linesOfCoverageEvent(event: CoverageEvent, root: string): FileLines[] {
  return event.summary.files.map((entry) => ({
    file: path.relative(root, entry.path).split(path.sep).join('/'),
    found: entry.totalLineCount,
    hit: entry.coveredLineCount,
  }));
}

/** Each floor's folder (a path prefix) with its files' coverage; a folder with no lines is 0%. */
export function coverageByFolder(files: readonly FileLines[], floors: Floors): FolderCoverage[] {
  return Object.entries(floors).map(([folder, floor]) => {
    let linesFound = 0;
    let linesHit = 0;
    for (const lines of files) {
      if (!lines.file.startsWith(folder)) continue;
      linesFound += lines.found;
      linesHit += lines.hit;
    }
    const percent = linesFound === 0 ? 0 : (100 * linesHit) / linesFound;
    return { folder, linesFound, linesHit, percent, floor };
  });
}

/** One line per folder; `failed` lists the folders below their floor. */
export function judgeCoverage(folders: readonly FolderCoverage[]): {
  lines: string[];
  failed: string[];
} {
  const lines: string[] = [];
  const failed: string[] = [];
  for (const entry of folders) {
    // Compared at the floor's own precision (one decimal), so rounding cannot fail a run.
    const shown = Math.floor(entry.percent * 10) / 10;
    let verdict = 'ok';
    if (shown < entry.floor) {
      verdict = 'BELOW THE FLOOR';
      failed.push(entry.folder);
    } else if (shown - entry.floor >= raiseFloorAbovePoints) {
      verdict = `ok; raise its floor in tools/coverage-floors.json to ${shown.toFixed(1)}`;
    }
    lines.push(`${entry.folder}: ${shown.toFixed(1)}% of ${entry.linesFound} lines ` +
      `(floor ${entry.floor.toFixed(1)}%): ${verdict}`);
  }
  return { lines, failed };
}
