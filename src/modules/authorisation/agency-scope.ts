/**
 * Agency scope in the query, not after it. Either
 *   query.where(agencyScopeCondition('invoice.agency_id', agencyScopeOf(actor)))
 * (selects, updates, deletes), or restrictToAgencyScope(query, 'invoice.agency_id', scope) for
 * a select. A record outside the scope is then simply not found: answer 404, so a guessed id
 * confirms nothing.
 */
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { AgencyScope } from './actor.ts';

export function agencyScopeCondition(agencyColumn: string, scope: AgencyScope):
Expression<SqlBool> {
  return scope === 'all' ? sql<SqlBool>`true` : sql<SqlBool>`${sql.ref(agencyColumn)} = ${scope}`;
}

export function restrictToAgencyScope<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  agencyColumn: string,
  scope: AgencyScope,
): SelectQueryBuilder<DB, TB, O> {
  return scope === 'all' ? query : query.where(agencyScopeCondition(agencyColumn, scope));
}
