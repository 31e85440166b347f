/**
 * The Treasury dashboard's routes, all needing reports.read: the page (/staff/reports), one
 * CSV per table, and the access-fee proof (page and CSV). An agency's staff see only their
 * agency (agencyScopeOf); Treasury, auditors, the finance desk and platform administrators
 * see all. Only GET: nothing here changes anything.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { agencyScopeOf, type Actor } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { accessFeeCsv, renderAccessFeePage } from './access-fee-views.ts';
import { proveAccessFees } from './reporting-access-fees.ts';
import { dashboardCsv, dashboardCsvTables, type DashboardCsvTable } from './reporting-csv.ts';
import { loadDashboard } from './reporting-dashboard.ts';
import { parsePeriod } from './reporting-period.ts';
import type { AgencyFilter, Period } from './reporting-read.ts';
import { renderDashboardPage, reportingPaths } from './reporting-views.ts';

const PeriodQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
});
type PeriodQuery = Static<typeof PeriodQuery>;
const readers = { access: { permission: 'reports.read' } } as const;
const schema = { querystring: PeriodQuery, hide: true } as const;

function scopeOf(actor: Actor | undefined): AgencyFilter {
  if (actor === undefined) throw new Error('a signed-in actor is required');
  return agencyScopeOf(actor);
}

function sendCsv(reply: FastifyReply, name: string, body: string): FastifyReply {
  return reply.header('cache-control', 'no-store').type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`).send(body);
}

/** The period asked for, or a ProblemError (the CSV routes answer 400 problem+json). */
function periodOrThrow(query: PeriodQuery, now: Date): Period {
  const period = parsePeriod(query, now);
  if (!period.ok) throw new ProblemError(period.error);
  return period.value;
}

export async function reportingRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const pageWith = async <T>(request: FastifyRequest<{ Querystring: PeriodQuery }>,
    reply: FastifyReply, load: (period: Period, agency: AgencyFilter) => Promise<T>,
    render: (value: T, problem?: string) => string) => {
    const agency = scopeOf(request.actor);
    const now = deps.clock.now();
    const asked = parsePeriod(request.query, now);
    const period = asked.ok ? asked.value : periodOrThrow({}, now);
    const problem = asked.ok ? undefined
      : request.pageContext().t('reporting.error.REPORTING_PERIOD_INVALID');
    return sendHtml(reply.header('cache-control', 'no-store'),
      render(await load(period, agency), problem), asked.ok ? 200 : 400);
  };

  app.get(reportingPaths.dashboard, { config: readers, schema }, async (request, reply) =>
    pageWith(request, reply, (period, agency) => loadDashboard(deps.db, period, agency,
      deps.clock.now()), (dashboard, problem) =>
      renderDashboardPage(request.pageContext(), dashboard, problem)));

  for (const table of dashboardCsvTables) {
    app.get(`${reportingPaths.dashboard}/${table}.csv`, { config: readers, schema },
      async (request, reply) => {
        const period = periodOrThrow(request.query, deps.clock.now());
        const dashboard = await loadDashboard(deps.db, period, scopeOf(request.actor),
          deps.clock.now());
        return sendCsv(reply, `${table}-${period.from}-${period.to}.csv`,
          dashboardCsv(dashboard, table satisfies DashboardCsvTable));
      });
  }

  app.get(reportingPaths.accessFees, { config: readers, schema }, async (request, reply) =>
    pageWith(request, reply, (period, agency) => proveAccessFees(deps.db, period, agency),
      (proof, problem) => renderAccessFeePage(request.pageContext(), proof, problem)));

  app.get(`${reportingPaths.accessFees}.csv`, { config: readers, schema },
    async (request, reply) => {
      const period = periodOrThrow(request.query, deps.clock.now());
      const proof = await proveAccessFees(deps.db, period, scopeOf(request.actor));
      return sendCsv(reply, `access-fees-${period.from}-${period.to}.csv`, accessFeeCsv(proof));
    });
}
