/**
 * The auditor's pages (permission audit.read: auditors and platform administrators): the audit
 * log browser, a record's page, and the tamper check. All are GETs: an auditor changes nothing.
 * Opening a record's page is itself audited (it shows the client address the record keeps).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf } from '#modules/authorisation/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import {
  auditChainLength,
  browseAuditRecords,
  findAuditRecord,
  kenyaDayStart,
  type AuditFilter,
} from './audit-browse-repo.ts';
import {
  auditChainStart,
  recordAuditInTrx,
  verifyAuditChainSegment,
  type AuditChainPosition,
} from './audit-repo.ts';
import {
  auditPaths,
  renderAuditBrowser,
  renderAuditRecord,
  renderAuditVerify,
} from './audit-views.ts';

const browserPageSize = 50;
/** Records one step of the tamper check walks before the page answers (and continues). */
export const verifyStepRecordsMax = 20_000;
const sequencePattern = '^[0-9]{1,18}$';

const Text = Type.Optional(Type.String({ maxLength: 200 }));
const BrowserQuery = Type.Object({
  from: Text, to: Text, actorId: Text, action: Text, subjectType: Text, subjectId: Text,
  before: Type.Optional(Type.String({ pattern: sequencePattern })),
});
const RecordParams = Type.Object({ sequence: Type.String({ maxLength: 40 }) });
const VerifyQuery = Type.Object({
  run: Type.Optional(Type.Literal('1')),
  auto: Type.Optional(Type.Literal('1')),
  after: Type.Optional(Type.String({ pattern: sequencePattern })),
  hash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
  version: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('2')])),
});

type BrowserQuery = Readonly<Partial<Record<keyof AuditFilter | 'before', string>>>;

/** The filter as typed, trimmed, empty parts dropped; the action in upper case. */
function filterOf(query: BrowserQuery): AuditFilter {
  const clean = (value: string | undefined) => {
    const trimmed = value?.trim();
    return trimmed === undefined || trimmed === '' ? undefined : trimmed;
  };
  return {
    from: clean(query.from), to: clean(query.to), actorId: clean(query.actorId),
    action: clean(query.action)?.toUpperCase(), subjectType: clean(query.subjectType),
    subjectId: clean(query.subjectId),
  };
}

/** The message key of what is wrong with the filter's dates, if anything. */
function filterProblem(filter: AuditFilter): string | undefined {
  const from = filter.from === undefined ? undefined : kenyaDayStart(filter.from);
  const to = filter.to === undefined ? undefined : kenyaDayStart(filter.to);
  if ((filter.from !== undefined && from === undefined) ||
    (filter.to !== undefined && to === undefined)) return 'audit.filter.dateInvalid';
  if (from !== undefined && to !== undefined && from > to) return 'audit.filter.rangeInvalid';
  return undefined;
}

function positionOf(query: Readonly<{ after?: string; hash?: string; version?: string }>):
  AuditChainPosition {
  if (query.after === undefined || query.hash === undefined) return auditChainStart;
  return { sequence: BigInt(query.after), hash: query.hash,
    hashVersion: query.version === '1' ? 1 : 2 };
}

async function showRecord(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  sequenceText: string) {
  if (!new RegExp(sequencePattern).test(sequenceText)) return reply.callNotFound();
  const sequence = BigInt(sequenceText);
  const record = await findAuditRecord(deps.db, sequence);
  if (record === undefined) return reply.callNotFound();
  await deps.db.transaction().execute((trx) => recordAuditInTrx(trx, {
    action: 'AUDIT_RECORD_VIEWED', actor: auditActorOf(request.actor),
    subject: { type: 'audit-record', id: sequence.toString() },
    personalDataRead: record.sourceAddress !== null, detail: {},
  }, deps.clock.now()));
  return sendHtml(reply.header('cache-control', 'no-store'),
    renderAuditRecord(request.pageContext(), record));
}

export async function auditRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const readers = { access: { permission: 'audit.read' as const } };

  app.get(auditPaths.browser, { config: readers,
    schema: { hide: true, querystring: BrowserQuery } }, async (request, reply) => {
    const filter = filterOf(request.query);
    const problem = filterProblem(filter);
    const before = request.query.before === undefined ? undefined : BigInt(request.query.before);
    const [page, chainLength] = await Promise.all([
      problem === undefined
        ? browseAuditRecords(deps.db, filter, { before, pageSize: browserPageSize })
        : { records: [], nextBefore: undefined },
      auditChainLength(deps.db),
    ]);
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderAuditBrowser(request.pageContext(), { filter, ...page, chainLength,
        paged: before !== undefined, problem }), problem === undefined ? 200 : 400);
  });

  app.get(auditPaths.recordPattern, { config: readers,
    schema: { hide: true, params: RecordParams } },
  async (request, reply) => showRecord(deps, request, reply, request.params.sequence));

  app.get(auditPaths.verify, { config: readers,
    schema: { hide: true, querystring: VerifyQuery } }, async (request, reply) => {
    const chainLength = await auditChainLength(deps.db);
    const from = positionOf(request.query);
    const report = request.query.run === '1'
      ? await verifyAuditChainSegment(deps.db, from, verifyStepRecordsMax) : undefined;
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderAuditVerify(request.pageContext(), { chainLength, report, before: from.sequence,
        auto: request.query.auto === '1' }));
  });
}
