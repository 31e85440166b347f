/**
 * The settlement pages under /staff/settlement: read with settlement.read (the finance desk,
 * Treasury, auditors, platform administrators see every payee; an agency's supervisors and
 * administrators see only their agency's lines, lag and alerts, and never the bank file);
 * prepare, approve, record settled, return a line and close an alert with settlement.manage.
 * The two-person rule is the service's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  agencyScopeOf,
  auditActorOf,
  csrfField,
  hasPermission,
} from '#modules/authorisation/index.ts';
import { findAgencyById } from '#modules/catalogue/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { cancelBatch } from './settlement-cancel.ts';
import { bankFileCsv } from './settlement-check.ts';
import { settlementErrors, type SettlementErrorCode } from './settlement-errors.ts';
import { closeSettlementAlert, listSettlementAlerts, measureLag } from './settlement-lag.ts';
import {
  findBatch,
  findLine,
  listApprovals,
  listBatchSummaries,
  listLines,
  listProfiles,
  settlementDb,
} from './settlement-repo.ts';
import {
  approveBatch,
  prepareBatch,
  recordBatchSettled,
  returnLine,
  treasuryName,
  treasuryPayee,
} from './settlement-service.ts';
import {
  renderBatchPage,
  renderOverview,
  renderProfiles,
  settlementPaths,
} from './settlement-views.ts';

const pageSize = 25;
const readers = { access: { permission: 'settlement.read' as const } };
const managers = { access: { permission: 'settlement.manage' as const } };
const BatchParams = Type.Object({ batchId: Type.String({ maxLength: 36 }) });
const Notice = Type.Optional(Type.Union([Type.Literal('prepared'), Type.Literal('approved'),
  Type.Literal('settled'), Type.Literal('returned'), Type.Literal('closed'),
  Type.Literal('nothing'), Type.Literal('cancelled')]));

/** The payee the reader is limited to (an agency's staff), or undefined for every payee. */
function payeeScope(request: FastifyRequest): string | undefined {
  const actor = request.actor;
  if (actor === undefined || actor.kind !== 'staff') return undefined;
  const scope = agencyScopeOf(actor);
  return scope === 'all' ? undefined : scope;
}

async function payeeNames(deps: ModuleDeps, payees: readonly string[]):
  Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const payee of new Set(payees)) {
    names.set(payee, payee === treasuryPayee ? treasuryName
      : (await findAgencyById(deps, payee))?.nameEn ?? payee);
  }
  return names;
}

type View = Readonly<{ notice?: string | undefined; problem?: SettlementErrorCode | undefined }>;

const problemKey = (code: SettlementErrorCode | undefined) =>
  code === undefined ? undefined : `settlement.problem.${code}`;

async function showOverview(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  page: number, view: View): Promise<FastifyReply> {
  const payee = payeeScope(request);
  const db = settlementDb(deps.db);
  const batches = await listBatchSummaries(db, { payee, limit: pageSize + 1,
    offset: (page - 1) * pageSize });
  const lag = (await measureLag(deps.db, deps.clock.now()))
    .filter((row) => payee === undefined || row.payee === payee);
  const alerts = (await listSettlementAlerts(deps.db, 'open'))
    .filter((alert) => payee === undefined || alert.payee === payee);
  return sendHtml(reply.header('cache-control', 'no-store'), renderOverview(
    request.pageContext(), { page, pageSize, batches: batches.slice(0, pageSize),
      hasNextPage: batches.length > pageSize, lag, alerts,
      names: await payeeNames(deps, [...lag.map((row) => row.payee),
        ...alerts.map((alert) => alert.payee)]),
      canManage: hasPermission(request.actor, 'settlement.manage'), csrf: csrfField(request),
      notice: view.notice === undefined ? undefined : `settlement.notice.${view.notice}`,
      problem: problemKey(view.problem) }),
  view.problem === undefined ? 200 : settlementErrors[view.problem].status);
}

async function showBatch(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  batchId: string, view: View): Promise<FastifyReply> {
  const db = settlementDb(deps.db);
  const batch = isUuid(batchId) ? await findBatch(db, batchId) : undefined;
  const payee = payeeScope(request);
  const lines = batch === undefined ? [] : (await listLines(db, batch.id))
    .filter((line) => payee === undefined || line.payee === payee);
  if (batch === undefined || lines.length === 0) {
    reply.callNotFound();
    return reply;
  }
  return sendHtml(reply.header('cache-control', 'no-store'), renderBatchPage(
    request.pageContext(), { batch, lines, approvals: await listApprovals(db, batch.id),
      allPayees: payee === undefined,
      canManage: hasPermission(request.actor, 'settlement.manage'), csrf: csrfField(request),
      notice: view.notice === undefined ? undefined : `settlement.notice.${view.notice}`,
      problem: problemKey(view.problem) }),
  view.problem === undefined ? 200 : settlementErrors[view.problem].status);
}

function readRoutes(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(settlementPaths.page, { config: readers, schema: { hide: true,
    querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
      notice: Notice }) } },
  async (request, reply) => showOverview(deps, request, reply, request.query.page,
    { notice: request.query.notice }));
  app.get(settlementPaths.batchPattern, { config: readers, schema: { hide: true,
    params: BatchParams, querystring: Type.Object({ notice: Notice }) } },
  async (request, reply) => showBatch(deps, request, reply, request.params.batchId,
    { notice: request.query.notice }));
  app.get(settlementPaths.filePattern, { config: readers,
    schema: { hide: true, params: BatchParams } }, async (request, reply) => {
    const { batchId } = request.params;
    const batch = isUuid(batchId) ? await findBatch(settlementDb(deps.db), batchId) : undefined;
    if (batch === undefined || batch.state === 'prepared' || batch.state === 'cancelled') {
      return reply.callNotFound();
    }
    if (payeeScope(request) !== undefined) return reply.code(403).send();
    return reply.header('cache-control', 'no-store')
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${batch.reference}.csv"`)
      .send(await bankFileCsv(deps.db, batch));
  });
  app.get(settlementPaths.profiles, { config: readers, schema: { hide: true } },
    async (request, reply) => {
      const payee = payeeScope(request);
      const profiles = (await listProfiles(settlementDb(deps.db)))
        .filter((profile) => payee === undefined || profile.payee === payee);
      return sendHtml(reply.header('cache-control', 'no-store'), renderProfiles(
        request.pageContext(), profiles,
        await payeeNames(deps, profiles.map((profile) => profile.payee))));
    });
}

function parseCutoff(typed: string | undefined, now: Date): Date | undefined {
  if (typed === undefined || typed.trim() === '') return now;
  // datetime-local has no zone: the desk works in Nairobi time (UTC+3).
  const parsed = new Date(`${typed.trim()}${typed.length <= 16 ? ':00' : ''}+03:00`);
  return Number.isNaN(parsed.getTime()) || parsed > now ? undefined : parsed;
}

function prepareRoute(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post(settlementPaths.prepare, { config: managers, schema: { hide: true,
    body: Type.Object({ currency: Type.Union([Type.Literal('KES'), Type.Literal('USD')]),
      cutoff: Type.Optional(Type.String({ maxLength: 30 })) }) } },
  async (request, reply) => {
    const now = deps.clock.now();
    const cutoff = parseCutoff(request.body.cutoff, now);
    if (cutoff === undefined) {
      return showOverview(deps, request, reply, 1, { problem: 'SETTLEMENT_CUTOFF_INVALID' });
    }
    const prepared = await prepareBatch(deps, { currency: request.body.currency, cutoff,
      actor: auditActorOf(request.actor), now });
    if (prepared.batch === undefined) {
      return showOverview(deps, request, reply, 1, { problem: 'SETTLEMENT_NOTHING_TO_SETTLE' });
    }
    return reply.redirect(`${settlementPaths.batch(prepared.batch.id)}?notice=prepared`, 303);
  });
}

function batchWriteRoutes(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post(settlementPaths.approvePattern, { config: managers,
    schema: { hide: true, params: BatchParams } }, async (request, reply) => {
    const { batchId } = request.params;
    const approved = await approveBatch(deps, { batchId, actor: auditActorOf(request.actor),
      now: deps.clock.now() });
    if (approved.ok) {
      return reply.redirect(`${settlementPaths.batch(batchId)}?notice=approved`, 303);
    }
    return showBatch(deps, request, reply, batchId, { problem: approved.error.code });
  });
  app.post(settlementPaths.settlePattern, { config: managers, schema: { hide: true,
    params: BatchParams, body: Type.Object({ bankReference: Type.String({ maxLength: 60 }) }) } },
  async (request, reply) => {
    const { batchId } = request.params;
    const settled = await recordBatchSettled(deps, { batchId,
      bankReference: request.body.bankReference, actor: auditActorOf(request.actor),
      now: deps.clock.now() });
    if (settled.ok) return reply.redirect(`${settlementPaths.batch(batchId)}?notice=settled`, 303);
    return showBatch(deps, request, reply, batchId, { problem: settled.error.code });
  });
  app.post(settlementPaths.returnLinePattern, { config: managers, schema: { hide: true,
    params: Type.Object({ lineId: Type.String({ maxLength: 36 }) }),
    body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }) } },
  async (request, reply) => {
    const { lineId } = request.params;
    const line = isUuid(lineId) ? await findLine(settlementDb(deps.db), lineId) : undefined;
    if (line === undefined) return reply.callNotFound();
    const returned = await returnLine(deps, { lineId, reason: request.body.reason ?? '',
      actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (returned.ok) {
      return reply.redirect(`${settlementPaths.batch(line.batch_id)}?notice=returned`, 303);
    }
    return showBatch(deps, request, reply, line.batch_id, { problem: returned.error.code });
  });
}

function alertRoutes(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post(settlementPaths.cancelPattern, { config: managers,
    schema: { hide: true, params: BatchParams } }, async (request, reply) => {
    const { batchId } = request.params;
    const cancelled = await cancelBatch(deps, { batchId, actor: auditActorOf(request.actor),
      now: deps.clock.now() });
    if (cancelled.ok) {
      return reply.redirect(`${settlementPaths.batch(batchId)}?notice=cancelled`, 303);
    }
    return showBatch(deps, request, reply, batchId, { problem: cancelled.error.code });
  });
  app.post(settlementPaths.closeAlertPattern, { config: managers, schema: { hide: true,
    params: Type.Object({ alertId: Type.String({ maxLength: 36 }) }),
    body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }) } },
  async (request, reply) => {
    const closed = await closeSettlementAlert(deps.db, { alertId: request.params.alertId,
      note: request.body.note ?? '', actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (closed.ok) return reply.redirect(`${settlementPaths.page}?notice=closed`, 303);
    return showOverview(deps, request, reply, 1, { problem: closed.error.code });
  });
}

export async function settlementRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  readRoutes(app, deps);
  prepareRoute(app, deps);
  batchWriteRoutes(app, deps);
  alertRoutes(app, deps);
  return Promise.resolve();
}
