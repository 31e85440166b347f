/**
 * The claims released to a client about a citizen, per granted scope. Each release is a read
 * of personal data by the agency's system, audited as such (the citizen sees it under "who
 * looked at my data"). The ID number is returned only when `id_number` was granted, which
 * only the citizen's tick on the consent screen does.
 */
import { readAccountDetailsInTrx, type AccountDetails } from '#modules/identity/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { findLiveClient } from './client-service.ts';
import { idNumberScope } from './federation-scopes.ts';
import { federationDb } from './federation-tables.ts';

export type ClaimsRequest = Readonly<{
  accountId: string;
  /** The granted scopes, space-separated. */
  scope: string;
  clientId: string;
  sourceAddress: string | null;
}>;

function nameOf(details: AccountDetails): Record<string, string> {
  if (details.businessName !== null) return { name: details.businessName };
  const parts = [details.firstName, details.middleName, details.lastName]
    .filter((part): part is string => part !== null && part !== '');
  return {
    name: parts.join(' '),
    ...(details.firstName === null ? {} : { given_name: details.firstName }),
    ...(details.middleName === null ? {} : { middle_name: details.middleName }),
    ...(details.lastName === null ? {} : { family_name: details.lastName }),
  };
}

/** The claims for the granted scopes (the library keeps only those the scopes name). */
export async function claimsOf(deps: Pick<ModuleDeps, 'db' | 'clock'>,
  request: ClaimsRequest): Promise<Record<string, unknown>> {
  const scopes = new Set(request.scope.split(' '));
  // Nothing but `sub` granted: no personal data is read, so none is recorded as read.
  if (!['profile', 'phone', idNumberScope].some((scope) => scopes.has(scope))) {
    return { sub: request.accountId };
  }
  const client = await findLiveClient(deps, request.clientId);
  if (client === undefined) return { sub: request.accountId };
  const details = await federationDb(deps.db).transaction().execute((trx) =>
    readAccountDetailsInTrx(trx, { kind: 'api-client', role: 'agency-api-client',
      clientId: client.client_id, agencyId: client.agency_id }, request.accountId,
    { purpose: 'sign-in-with-huduma', sourceAddress: request.sourceAddress },
    deps.clock.now()));
  if (details === undefined) return { sub: request.accountId };
  return {
    sub: request.accountId,
    ...(scopes.has('profile') ? nameOf(details) : {}),
    ...(scopes.has('phone') && details.phone !== null
      ? { phone_number: details.phone, phone_number_verified: true } : {}),
    ...(scopes.has(idNumberScope)
      ? { id_number: details.documentNumber, id_document_type: details.documentType } : {}),
  };
}
