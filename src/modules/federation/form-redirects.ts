/**
 * The platform's Content-Security-Policy allows forms to post only to this site
 * (form-action 'self'), and browsers apply it to every redirect that follows the post. The
 * consent and sign-out forms end at the relying party (its registered redirect or post-logout
 * address, already checked by the provider), so those two pages allow that one origin too.
 */
export function allowFormRedirectTo(policy: string | undefined, address: unknown):
  string | undefined {
  if (policy === undefined || typeof address !== 'string' || !URL.canParse(address)) {
    return policy;
  }
  const origin = new URL(address).origin;
  return policy.split(';').map((directive) => {
    const trimmed = directive.trim();
    return trimmed.startsWith('form-action ') ? `${trimmed} ${origin}` : trimmed;
  }).join('; ');
}

/** A header's value as one string (undefined when absent). */
export function headerText(value: number | string | readonly string[] | undefined):
  string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ')
    : String(value);
}
