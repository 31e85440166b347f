/**
 * The pages the provider library itself answers with, drawn in Huduma's layout and language:
 * the sign-out question (RP-initiated logout), the signed-out page, and the error page (a
 * request no client should have sent: unknown client, wrong redirect address, no PKCE...).
 * All work with JavaScript off: the sign-out buttons submit the library's own form.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { html, renderPage, trusted, webPaths, type PageContext } from '#web/index.ts';
import { allowFormRedirectTo, headerText } from './form-redirects.ts';
import type { ProviderRequests } from './provider-requests.ts';

type Requests = ProviderRequests;

function contextOf(requests: Requests, ctx: KoaContextWithOIDC): PageContext {
  const found = requests.get(ctx.req);
  if (found === undefined) throw new Error('a provider request that did not come through /oidc');
  return found.page;
}

function send(ctx: KoaContextWithOIDC, body: string): void {
  ctx.type = 'html';
  ctx.body = body;
}

/** The client's name as the library knows it, for the sign-out question. */
function clientName(ctx: KoaContextWithOIDC): string | undefined {
  return ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
}

export function providerPages(requests: Requests) {
  return {
    logoutSource: (ctx: KoaContextWithOIDC, form: string): Promise<void> => {
      const context = contextOf(requests, ctx);
      const { t } = context;
      const name = clientName(ctx);
      const title = t('federation.logout.title');
      const policy = allowFormRedirectTo(headerText(ctx.res.getHeader('content-security-policy')),
        ctx.oidc.params?.post_logout_redirect_uri);
      if (policy !== undefined) ctx.res.setHeader('content-security-policy', policy);
      send(ctx, renderPage(context, { title, main: html`<h1>${title}</h1>
<p>${name === undefined ? t('federation.logout.question')
    : t('federation.logout.questionFrom', { name })}</p>
${trusted(form)}
<p><button type="submit" form="op.logoutForm" value="yes" name="logout">${
  t('federation.logout.yes')}</button></p>
<p><button type="submit" form="op.logoutForm" class="secondary">${
  t('federation.logout.no')}</button></p>` }));
      return Promise.resolve();
    },
    postLogoutSuccessSource: (ctx: KoaContextWithOIDC): Promise<void> => {
      const context = contextOf(requests, ctx);
      const { t } = context;
      const title = t('federation.logout.done');
      send(ctx, renderPage(context, { title, main: html`<h1>${title}</h1>
<p>${t('federation.logout.doneBody')}</p>
<p><a href="${webPaths.home}">${t('federation.goHome')}</a></p>` }));
      return Promise.resolve();
    },
    renderError: (ctx: KoaContextWithOIDC, out: Readonly<Record<string, unknown>>)
      : Promise<void> => {
      const context = contextOf(requests, ctx);
      const { t } = context;
      const title = t('federation.error.title');
      const code = typeof out.error === 'string' ? out.error : 'server_error';
      const description = typeof out.error_description === 'string'
        ? html`<p>${t('federation.error.detail')} <span lang="en">${
          out.error_description}</span></p>`
        : html``;
      send(ctx, renderPage(context, { title, main: html`<h1>${title}</h1>
<p>${t('federation.error.body')}</p>
<p>${t('federation.error.code')} <code>${code}</code></p>
${description}
<p><a href="${webPaths.home}">${t('federation.goHome')}</a></p>` }));
      return Promise.resolve();
    },
  };
}
