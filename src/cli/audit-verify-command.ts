/**
 * `huduma audit verify`: walks the audit chain from the first record to the last and reports
 * the first record that was changed, removed or moved. Exit 0 when intact, 1 when not.
 */
import type { Database } from '#platform/db/index.ts';
import { verifyAuditChain } from '#modules/audit/index.ts';
import { startProgress } from '#platform/progress.ts';
import type { CliCommand } from './cli-command.ts';
import { withDatabase } from './cli-context.ts';

export type AuditVerifyStreams = Readonly<{
  output: Pick<NodeJS.WriteStream, 'write'>;
  progress: NodeJS.WriteStream;
}>;

export async function runAuditVerify(
  db: Database,
  streams: AuditVerifyStreams,
): Promise<number> {
  const progress = startProgress('verifying audit chain', undefined, streams.progress);
  let reported = 0;
  const report = await verifyAuditChain(db, (done, total) => {
    progress.setTotal(total);
    progress.tick(done - reported);
    reported = done;
  });
  progress.done();
  if (report.ok) {
    streams.output.write(`audit chain intact: ${report.rows} records` +
      (report.rows === 0 ? '\n' : `; last hash ${report.lastHash}\n`));
    return 0;
  }
  streams.output.write(`audit chain BROKEN at record ${report.firstBadSequence}: ` +
    `${report.reason}\n(${report.rows} records before it are intact)\n`);
  if (report.expectedHash !== undefined) {
    streams.output.write(`expected hash ${report.expectedHash}\n` +
      `found hash    ${report.foundHash ?? ''}\n`);
  }
  return 1;
}

export const auditVerifyCommand: CliCommand = {
  words: ['audit', 'verify'],
  usage: 'huduma audit verify',
  summary: 'Check the audit log\'s hash chain; name the first changed, missing or moved record.',
  run: async () => withDatabase((deps) =>
    runAuditVerify(deps.db, { output: process.stdout, progress: process.stderr })),
};
