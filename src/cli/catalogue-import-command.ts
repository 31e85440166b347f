/**
 * `huduma catalogue import <folder>`: loads the eCitizen catalogue dataset (CSV files) into
 * the catalogue, in one transaction, with a progress bar on stderr and a summary on stdout.
 * Safe to run again: rows are matched on the dataset's ids and updated in place.
 */
import { catalogueSource, importCatalogue, type ImportReport } from '#modules/catalogue/index.ts';
import { startProgress } from '#platform/progress.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

const problemsShownMax = 50;

export const catalogueImportCommand: CliCommand = {
  words: ['catalogue', 'import'],
  usage: 'huduma catalogue import <folder>',
  summary: 'Import the eCitizen catalogue dataset (a folder of CSV files); safe to re-run.',
  run: async (args) => {
    const [folder, ...extra] = args;
    if (folder === undefined || extra.length > 0) {
      process.stderr.write('Usage: huduma catalogue import <folder>\n');
      return 2;
    }
    return withDatabase(async (deps, database) => {
      const progress = startProgress('importing (bytes)', undefined);
      let shown = 0;
      const result = await importCatalogue(deps, folder, {
        onProgress: (bytesRead, bytesTotal) => {
          progress.setTotal(bytesTotal);
          progress.tick(bytesRead - shown);
          shown = bytesRead;
        },
      });
      progress.done();
      if (!result.ok) {
        process.stderr.write(`huduma: import failed, nothing was imported ` +
          `(${result.error.code}): ${result.error.detail ?? ''}\n`);
        return 1;
      }
      process.stderr.write(describeProblems(result.value));
      process.stdout.write(`${describeReport(result.value)}\nInto ${database.description}. ` +
        `Data: "${catalogueSource.title}" by ${catalogueSource.author}, ` +
        `${catalogueSource.licence} (${catalogueSource.url}).\n`);
      return 0;
    });
  },
};

function describeProblems(report: ImportReport): string {
  if (report.problemCount === 0) return '';
  const lines = report.problems.slice(0, problemsShownMax)
    .map((problem) => `  ${problem.file}:${problem.line}: skipped: ${problem.reason}\n`);
  const more = report.problemCount - lines.length;
  return `${report.problemCount} row(s) skipped:\n${lines.join('')}` +
    (more > 0 ? `  ... and ${more} more\n` : '');
}

export function describeReport(report: ImportReport): string {
  const header = ['table', 'inserted', 'updated', 'unchanged', 'skipped'];
  const rows = Object.entries(report.tables).map(([table, counts]) => [table,
    String(counts.inserted), String(counts.updated), String(counts.unchanged),
    String(counts.skipped)]);
  return [header, ...rows]
    .map((row) => row.map((cell, index) => index === 0 ? cell.padEnd(12) : cell.padStart(10))
      .join(''))
    .join('\n');
}
