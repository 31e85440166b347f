/**
 * `huduma catalogue generate --services N [--seed S]`: a synthetic catalogue for scale tests
 * (origin 'synthetic'), deterministic for a seed; re-running the same N and seed adds nothing.
 */
import { parseArgs } from 'node:util';
import {
  generateCatalogue,
  generatedServicesMax,
  generatorSeedMax,
} from '#modules/catalogue/index.ts';
import { startProgress } from '#platform/progress.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

const usage = 'huduma catalogue generate --services N [--seed S]';

function wholeNumber(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const value = Number.parseInt(text, 10);
  return value >= min && value <= max ? value : undefined;
}

export const catalogueGenerateCommand: CliCommand = {
  words: ['catalogue', 'generate'],
  usage,
  summary: `Generate a synthetic catalogue of N services (up to ${generatedServicesMax}).`,
  run: async (args) => {
    let values: { services?: string; seed?: string };
    try {
      values = parseArgs({ args: [...args], options: {
        services: { type: 'string' },
        seed: { type: 'string', default: '1' },
      } }).values;
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n` +
        `Usage: ${usage}\n`);
      return 2;
    }
    const services = wholeNumber(values.services, 1, generatedServicesMax);
    const seed = wholeNumber(values.seed, 0, generatorSeedMax);
    if (services === undefined || seed === undefined) {
      process.stderr.write(`--services must be a whole number from 1 to ${generatedServicesMax}` +
        ` and --seed one from 0 to ${generatorSeedMax}.\nUsage: ${usage}\n`);
      return 2;
    }
    return withDatabase(async (deps, database) => {
      const progress = startProgress('generating services', services);
      const startedAt = performance.now();
      let shown = 0;
      const report = await generateCatalogue(deps, {
        services,
        seed,
        onProgress: (done) => {
          progress.tick(done - shown);
          shown = done;
        },
      });
      progress.done();
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      process.stdout.write(`${database.description}: ${report.servicesInserted} services ` +
        `inserted, ${report.servicesExisting} already there, under ${report.agencies} ` +
        `agencies (seed ${seed}), in ${seconds} s.\n`);
      return 0;
    });
  },
};
