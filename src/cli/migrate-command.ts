import { loadConfig } from '#config';
import { migrate, openDatabase } from '#platform/db/index.ts';
import { startProgress } from '#platform/progress.ts';
import type { CliCommand } from './cli-command.ts';

export const migrateCommand: CliCommand = {
  words: ['migrate'],
  usage: 'huduma migrate',
  summary: 'Apply the database migrations not yet applied (safe to run again).',
  run: async () => {
    const config = loadConfig();
    // As the owner of the tables: the login migrations are applied with.
    const database = await openDatabase({
      ...config,
      databaseUrl: config.migrationDatabaseUrl ?? config.databaseUrl,
    });
    try {
      const progress = startProgress('migrating', undefined);
      const report = await migrate(database.db, {
        onProgress: (done, total) => {
          progress.setTotal(total);
          progress.tick(done === 0 ? 0 : 1);
        },
      });
      progress.done(`${database.description}: applied ${report.applied.length}, ` +
        `${report.alreadyApplied} already applied`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
