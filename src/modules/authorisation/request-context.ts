/**
 * What the access-control hooks (identity module) put on every request, and the helper forms
 * use for their CSRF token. Other modules read `request.actor`; they never parse cookies.
 */
import { html, type SafeHtml } from '#web/index.ts';
import type { Actor } from './actor.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller, or undefined for an anonymous visitor. */
    actor: Actor | undefined;
    /**
     * The CSRF token for forms on this page, bound to the session (or, before sign-in, to a
     * pre-session cookie it sets on first use). Every non-GET form must post it as `_csrf`.
     */
    csrfToken: () => string;
  }
}

/** The form field name (or the `x-csrf-token` header) that carries the token. */
export const csrfFieldName = '_csrf';
export const csrfHeaderName = 'x-csrf-token';

/** `<input type="hidden" name="_csrf" ...>` for a form on the page answering `request`. */
export function csrfField(request: Readonly<{ csrfToken: () => string }>): SafeHtml {
  return html`<input type="hidden" name="${csrfFieldName}" value="${request.csrfToken()}">`;
}
