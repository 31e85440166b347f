/**
 * Reconciliation over HTTP (staff pages): the runs and the import forms (a statement file as
 * multipart/form-data, or Pull Transactions for a Kenya day), a run's page, the day report,
 * and CSV exports of a run's lines and of a day's totals. Reading needs reconciliation.read
 * (Treasury, finance officers, auditors, platform administrators); importing needs
 * reconciliation.manage (finance officers, platform administrators).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField, hasPermission } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { reconcilePull, reconcileStatementCsv } from './reconciliation-service.ts';
import { lineClasses, type LineClass } from './reconciliation-tables.ts';
import {
  reconciliationPaths,
  renderDayPage,
  renderRunPage,
  renderRunsPage,
} from './reconciliation-views.ts';
import { dayCsv, runCsv } from './reconciliation-export.ts';
import { dayTotals, findRun, listFindings, listLines, listRuns, reconciliationDb,
  runTotals } from './run-repo.ts';
import { kenyaDay, kenyaDayStart } from './statement-formats.ts';

const runsPageSize = 25;
const linesPageSize = 100;
const findingsShown = 200;
/** A statement uploaded through the page; larger files go through `huduma reconcile`. */
export const uploadBytesMax = 64 * 1024 * 1024;
const dayPattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

const statementKey = Symbol('statement');
type UploadBody = Record<string, string> & { [statementKey]?: Uint8Array };

async function parseUpload(contentType: string, bytes: Buffer): Promise<UploadBody> {
  const body: UploadBody = Object.create(null) as UploadBody;
  let form: FormData;
  try {
    const view = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    form = await new Response(view, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return body;
  }
  for (const [name, value] of form) {
    if (typeof value === 'string') body[name] = value;
    else if (name === 'statement' && value.size > 0) {
      body[statementKey] = new Uint8Array(await value.arrayBuffer());
    }
  }
  return body;
}

const RunsQuery = Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }) });
const RunParams = Type.Object({ runId: Type.String({ maxLength: 36 }) });
const RunQuery = Type.Object({
  class: Type.Optional(Type.Union(lineClasses.map((name) => Type.Literal(name)))),
  after: Type.Integer({ minimum: 0, maximum: 2_000_000_000, default: 0 }),
});
const DayParams = Type.Object({ day: Type.String({ pattern: dayPattern }) });
const DayQuery = Type.Object({ day: Type.String({ pattern: dayPattern }) });
const ImportBody = Type.Object({
  shortcode: Type.Optional(Type.String({ pattern: '^[0-9]{5,7}$' })) });
const PullBody = Type.Object({ day: Type.String({ pattern: dayPattern }) });

function validDay(day: string): boolean {
  return !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
    new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

type ShowRuns = (request: FastifyRequest, reply: FastifyReply, page: number,
  problem?: string, status?: number) => Promise<FastifyReply>;

/** The import forms: a statement file (multipart) or a day of Pull Transactions. */
function manageRoutes(scope: FastifyInstance, deps: ModuleDeps, showRuns: ShowRuns): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const managers = { access: { permission: 'reconciliation.manage' as const } };
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: uploadBytesMax },
    async (request: FastifyRequest, body: Buffer) =>
      parseUpload(request.headers['content-type'] ?? '', body));
  app.post(reconciliationPaths.imports, { config: managers,
    schema: { hide: true, body: ImportBody } }, async (request, reply) => {
    const body = request.body as UploadBody;
    const statement = body[statementKey];
    if (statement === undefined) {
      const { t } = request.pageContext();
      return showRuns(request, reply, 1, t('reconciliation.problem.noFile'), 400);
    }
    const report = await reconcileStatementCsv(deps, {
      csv: Readable.from([Buffer.from(statement)]),
      shortcode: body.shortcode ?? deps.config.mpesa.shortcode,
      startedBy: auditActorOf(request.actor).id ?? 'unknown' });
    return reply.redirect(reconciliationPaths.run(report.run.id), 303);
  });

  app.post(reconciliationPaths.pulls, { config: managers,
    schema: { hide: true, body: PullBody } }, async (request, reply) => {
    if (!validDay(request.body.day)) {
      throw new ProblemError({ code: 'PLATFORM_VALIDATION_FAILED', detail: 'day: not a date' });
    }
    const from = kenyaDayStart(request.body.day);
    const report = await reconcilePull(deps, { from, to: new Date(from.getTime() + 86_399_000),
      startedBy: auditActorOf(request.actor).id ?? 'unknown' });
    return reply.redirect(reconciliationPaths.run(report.run.id), 303);
  });
}

export async function reconciliationRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const db = reconciliationDb(deps.db);
  const readers = { access: { permission: 'reconciliation.read' as const } };

  const showRuns = async (request: FastifyRequest, reply: FastifyReply, page: number,
    problem?: string, status = 200) => {
    const runs = await listRuns(db, { limit: runsPageSize + 1,
      offset: (page - 1) * runsPageSize });
    const yesterday = kenyaDay(new Date(deps.clock.now().getTime() - 86_400_000));
    return sendHtml(reply, renderRunsPage(request.pageContext(), { runs: runs.slice(0,
      runsPageSize), page, hasNextPage: runs.length > runsPageSize,
    canManage: hasPermission(request.actor, 'reconciliation.manage'),
    csrf: csrfField(request), shortcode: deps.config.mpesa.shortcode, yesterday, problem }),
    status);
  };

  app.get(reconciliationPaths.page, { config: readers,
    schema: { hide: true, querystring: RunsQuery } },
  async (request, reply) => showRuns(request, reply, request.query.page));

  manageRoutes(scope, deps, showRuns);

  const runOf = async (runId: string) => {
    const run = isUuid(runId) ? await findRun(db, runId) : undefined;
    if (run === undefined) throw new ProblemError({ code: 'RECON_RUN_NOT_FOUND' });
    return run;
  };

  app.get(reconciliationPaths.runPattern, { config: readers,
    schema: { hide: true, params: RunParams, querystring: RunQuery } },
  async (request, reply) => {
    const run = await runOf(request.params.runId);
    const lineClass: LineClass | undefined = request.query.class;
    const lines = await listLines(deps.db, run.id, { lineClass,
      afterLine: request.query.after, limit: linesPageSize + 1 });
    const shown = lines.slice(0, linesPageSize);
    return sendHtml(reply, renderRunPage(request.pageContext(), {
      run, ...await runTotals(db, run.id),
      findingRows: await listFindings(db, run.id, findingsShown), lines: shown, lineClass,
      nextAfter: lines.length > linesPageSize ? shown.at(-1)?.lineNumber : undefined }));
  });

  app.get(reconciliationPaths.runExportPattern, { config: readers,
    schema: { hide: true, params: RunParams } }, async (request, reply) => {
    const run = await runOf(request.params.runId);
    return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="reconciliation-${run.id}.csv"`)
      .send(Readable.from(runCsv(deps.db, run.id)));
  });

  app.get(reconciliationPaths.dayQuery, { config: readers,
    schema: { hide: true, querystring: DayQuery } },
  async (request, reply) => reply.redirect(reconciliationPaths.day(request.query.day), 303));

  const dayOf = (day: string) => {
    if (!validDay(day)) throw new ProblemError({ code: 'PLATFORM_VALIDATION_FAILED',
      detail: 'day: not a date' });
    return day;
  };

  app.get(reconciliationPaths.dayPattern, { config: readers,
    schema: { hide: true, params: DayParams } }, async (request, reply) => {
    const day = dayOf(request.params.day);
    return sendHtml(reply, renderDayPage(request.pageContext(),
      { day, ...await dayTotals(db, day) }));
  });

  app.get(reconciliationPaths.dayExportPattern, { config: readers,
    schema: { hide: true, params: DayParams } }, async (request, reply) => {
    const day = dayOf(request.params.day);
    return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="reconciliation-${day}.csv"`)
      .send(dayCsv(day, await dayTotals(db, day)));
  });
}
