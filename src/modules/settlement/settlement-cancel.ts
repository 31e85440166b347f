/**
 * Cancelling a prepared batch (before its release): its entries are freed for a later batch,
 * its rows kept (state cancelled), audited. For a batch that cannot be released any more, or
 * was prepared by mistake.
 */
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import type { Database } from '#platform/db/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { lockBatchInTrx, settlementDb } from './settlement-repo.ts';

export type CancelBatchFailure = Failure<'SETTLEMENT_BATCH_NOT_FOUND' |
  'SETTLEMENT_BATCH_NOT_PREPARED'>;

export async function cancelBatch(
  deps: Readonly<{ db: Database }>,
  input: Readonly<{ batchId: string; actor: AuditActor; now: Date }>,
): Promise<Result<true, CancelBatchFailure>> {
  if (!isUuid(input.batchId)) return err(failure('SETTLEMENT_BATCH_NOT_FOUND'));
  return settlementDb(deps.db).transaction().execute(async (trx) => {
    const batch = await lockBatchInTrx(trx, input.batchId);
    if (batch === undefined) return err(failure('SETTLEMENT_BATCH_NOT_FOUND'));
    if (batch.state !== 'prepared') return err(failure('SETTLEMENT_BATCH_NOT_PREPARED'));
    await trx.deleteFrom('settlement_entry').where('batch_id', '=', batch.id).execute();
    await trx.updateTable('settlement_line').set({ state: 'cancelled' })
      .where('batch_id', '=', batch.id).execute();
    await trx.updateTable('settlement_batch').set({ state: 'cancelled',
      cancelled_at: input.now, cancelled_by: input.actor.id ?? input.actor.kind })
      .where('id', '=', batch.id).execute();
    await recordAuditInTrx(trx, { action: 'SETTLEMENT_BATCH_CANCELLED', actor: input.actor,
      subject: { type: 'settlement-batch', id: batch.id },
      detail: { reference: batch.reference } }, input.now);
    return ok(true as const);
  });
}
