/**
 * The platform's Content-Security-Policy lets forms post only to this site (form-action
 * 'self'), and browsers apply it to the redirect that follows the post too. The pay page's
 * card button posts here and is sent on (303) to the card acquirer's hosted page, so that page
 * allows the acquirer's origin as well, and nothing else.
 */
import type { FastifyReply } from 'fastify';

export function allowFormRedirectTo(reply: FastifyReply, address: string): void {
  const header = reply.getHeader('content-security-policy');
  if (typeof header !== 'string' || !URL.canParse(address)) return;
  const origin = new URL(address).origin;
  void reply.header('content-security-policy', header.split(';').map((directive) => {
    const trimmed = directive.trim();
    return trimmed.startsWith('form-action ') ? `${trimmed} ${origin}` : trimmed;
  }).join('; '));
}
