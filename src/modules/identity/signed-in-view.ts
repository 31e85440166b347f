/**
 * Who the page header names: a display name (first name and last initial, or a business's
 * name), whom the person acts for, and for staff their role and agency. Built from the session
 * row the access-control hook reads anyway, so a signed-in page costs no extra query and an
 * anonymous one none at all. Never an ID number; never logged.
 */
import { rolePermissions } from '#modules/authorisation/index.ts';
import type { SafeHtml, SignedInView } from '#web/index.ts';
import { identityPaths } from './identity-paths.ts';
import type { LiveSession, NameParts } from './session-repo.ts';

/** "Amina W.": enough to recognise oneself on a shared screen, little to a passer-by. */
export function displayNameOf(name: NameParts): string {
  const business = name.businessName?.trim() ?? '';
  if (business !== '') return business;
  const first = name.firstName?.trim() ?? '';
  const initial = Array.from(name.lastName?.trim() ?? '')[0];
  if (initial === undefined) return first;
  return first === '' ? `${initial.toLocaleUpperCase('en-KE')}.`
    : `${first} ${initial.toLocaleUpperCase('en-KE')}.`;
}

export function signedInViewOf(
  session: LiveSession,
  csrfField: SafeHtml,
): SignedInView | undefined {
  const signOut = { signOutPath: identityPaths.signOut, csrfField };
  if (session.staff !== null) {
    return {
      kind: 'staff', name: session.staff.displayName, homePath: identityPaths.staffHome,
      roleKey: `identity.role.${session.staff.role}`,
      permissions: rolePermissions[session.staff.role],
      agency: session.staff.agencyName ?? undefined, ...signOut,
    };
  }
  if (session.holderName === null) return undefined;
  return {
    kind: 'account', name: displayNameOf(session.holderName), homePath: identityPaths.account,
    actingFor: session.onBehalfOf === null ? undefined : displayNameOf(session.onBehalfOf.name),
    actingForPath: identityPaths.actFor, ...signOut,
  };
}
