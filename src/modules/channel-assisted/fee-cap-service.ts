/**
 * The published agent-fee table: caps per service, or one flat cap for every service without
 * its own, each from a Kenyan date on. Platform administrators publish caps (append-only: a
 * change is a new cap from a later date); anyone may read the table, no sign-in needed.
 */
import { sql } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { AssistedErrorCode } from './assisted-errors.ts';
import { assistedDb } from './assisted-tables.ts';
import { capsInForce, kenyanDateOf, parseShillings, type FeeCap } from './fee-rules.ts';

export async function listFeeCaps(deps: Pick<ModuleDeps, 'db'>): Promise<FeeCap[]> {
  const rows = await assistedDb(deps.db).selectFrom('agent_fee_cap')
    .select(['id', 'service_id', 'cap_minor', 'currency',
      sql<string>`to_char(effective_from, 'YYYY-MM-DD')`.as('from_text')])
    .orderBy('effective_from').execute();
  return rows.map((row) => ({ id: row.id, serviceId: row.service_id,
    cap: money(BigInt(row.cap_minor), row.currency), effectiveFrom: row.from_text }));
}

export type PublishedCap = Readonly<{
  serviceId: string | null;
  serviceNameEn: string | null;
  serviceNameSw: string | null;
  cap: Money;
  effectiveFrom: string;
}>;

/** The caps in force today, the flat one first, then by service name. */
export async function publishedFeeTable(deps: Pick<ModuleDeps, 'db' | 'clock'>):
  Promise<PublishedCap[]> {
  const inForce = capsInForce(await listFeeCaps(deps), kenyanDateOf(deps.clock.now()));
  const rows = await Promise.all(inForce.map(async (cap) => {
    const service = cap.serviceId === null ? undefined
      : await findServiceByIdOrSlug(deps, cap.serviceId);
    return { serviceId: cap.serviceId, serviceNameEn: service?.nameEn ?? null,
      serviceNameSw: service?.nameSw ?? null, cap: cap.cap, effectiveFrom: cap.effectiveFrom };
  }));
  return rows.sort((a, b) => a.serviceId === null ? -1 : b.serviceId === null ? 1
    : (a.serviceNameEn ?? '').localeCompare(b.serviceNameEn ?? ''));
}

export type NewFeeCap = Readonly<{
  /** A service id or slug; '' for the flat cap. */
  service: string;
  amount: string;
  /** YYYY-MM-DD, today or later (Kenyan calendar). */
  effectiveFrom: string;
  actor: AuditActor & Readonly<{ id: string }>;
  now: Date;
}>;

/**
 * Publishes a cap. @returns err ASSISTED_CAP_INVALID (amount, or a date before today),
 * ASSISTED_SERVICE_NOT_AVAILABLE (no such service), ASSISTED_CAP_EXISTS (same service, date).
 */
export async function publishFeeCap(deps: Pick<ModuleDeps, 'db'>, input: NewFeeCap):
  Promise<Result<FeeCap, Failure<AssistedErrorCode>>> {
  const cap = parseShillings(input.amount);
  const date = input.effectiveFrom.trim();
  if (cap === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || date < kenyanDateOf(input.now)) {
    return err(failure('ASSISTED_CAP_INVALID'));
  }
  let serviceId: string | null = null;
  if (input.service.trim() !== '') {
    const service = await findServiceByIdOrSlug(deps, input.service.trim());
    if (service === undefined) return err(failure('ASSISTED_SERVICE_NOT_AVAILABLE'));
    serviceId = service.id;
  }
  const id = uuidv7(input.now.getTime());
  return assistedDb(deps.db).transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('agent_fee_cap').values({ id, service_id: serviceId,
      cap_minor: cap.amountMinor, currency: 'KES', effective_from: date,
      set_by_staff_id: input.actor.id, created_at: input.now })
      .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
    if (inserted === undefined) return err(failure('ASSISTED_CAP_EXISTS'));
    await recordAuditInTrx(trx, { action: 'ASSISTED_FEE_CAP_PUBLISHED', actor: input.actor,
      subject: { type: 'agent_fee_cap', id },
      detail: { serviceId, capMinor: cap.amountMinor.toString(), effectiveFrom: date } },
    input.now);
    return ok({ id, serviceId, cap, effectiveFrom: date });
  });
}
