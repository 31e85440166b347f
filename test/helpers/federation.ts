/**
 * Sign in with Huduma over real HTTP: the app listening on a free local port whose address is
 * also its public base URL (so the issuer the provider announces is the one a relying party
 * discovers), a registered client, and a tiny browser (cookies by name, CSRF from the last
 * page, redirects followed by hand) for the interaction pages.
 */
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { registerClient } from '#modules/federation/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { buildTestApp } from './app.ts';

export type FederationApp = Readonly<{
  app: FastifyInstance;
  baseUrl: string;
  issuer: string;
  close: () => Promise<void>;
}>;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startFederationApp(database: DatabaseHandle): Promise<FederationApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_PUBLIC_URL: baseUrl,
    PORT: String(port) });
  const app = await buildTestApp(database, { config });
  await app.listen({ host: '127.0.0.1', port });
  return { app, baseUrl, issuer: `${baseUrl}/oidc`, close: () => app.close() };
}

export type TestClient = Readonly<{ clientId: string; secret: string }>;

export async function registerTestClient(database: DatabaseHandle, input: Readonly<{
  agencyId: string; redirectUris: readonly string[];
  postLogoutRedirectUris?: readonly string[]; scopes: readonly string[] }>):
  Promise<TestClient> {
  const registered = await registerClient({ db: database.db }, {
    agencyId: input.agencyId, name: 'County Permits Portal', redirectUris: input.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [], scopes: input.scopes,
  }, { kind: 'system', id: null }, new Date());
  if (!registered.ok) throw new Error(registered.error.code);
  return { clientId: registered.value.client.clientId, secret: registered.value.secret };
}

/** A browser over real HTTP: keeps cookies by name and path, never follows redirects itself. */
export class HttpFormClient {
  readonly #baseUrl: string;
  readonly #cookies = new Map<string, string>();
  readonly language: 'en' | 'sw';
  csrfToken: string | undefined;

  constructor(baseUrl: string, options: Readonly<{ cookie?: string; language?: 'en' | 'sw' }>
    = {}) {
    this.#baseUrl = baseUrl;
    this.language = options.language ?? 'en';
    if (options.cookie !== undefined) this.setCookie(options.cookie);
  }

  /** Sets a cookie as if a response had (e.g. `name=value` of another Huduma session). */
  setCookie(pair: string): void {
    const [name = '', value = ''] = pair.split('=');
    if (value === '') this.#cookies.delete(`${name} /`);
    else this.#cookies.set(`${name} /`, value);
  }

  async get(url: string): Promise<Response> {
    return this.#send(url, { method: 'GET' });
  }

  async post(url: string, form: Readonly<Record<string, string>>): Promise<Response> {
    const fields = this.csrfToken === undefined ? form : { _csrf: this.csrfToken, ...form };
    return this.#send(url, { method: 'POST', body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Follows redirects on this site; stops at (and returns) one that leaves it. */
  async follow(url: string): Promise<{ response: Response; body: string; url: string }> {
    let current = new URL(url, this.#baseUrl).href;
    for (let hop = 0; hop < 10; hop += 1) {
      const response = await this.get(current);
      const location = response.headers.get('location');
      if (location === null) return { response, body: await response.text(), url: current };
      current = new URL(location, current).href;
      if (!current.startsWith(this.#baseUrl)) return { response, body: '', url: current };
    }
    throw new Error('too many redirects');
  }

  async #send(url: string, init: RequestInit & { headers?: Record<string, string> }):
    Promise<Response> {
    const target = new URL(url, this.#baseUrl);
    const cookie = [...this.#cookies].filter(([key]) => target.pathname
      .startsWith(key.slice(key.indexOf(' ') + 1)))
      .map(([key, value]) => `${key.slice(0, key.indexOf(' '))}=${value}`).join('; ');
    const response = await fetch(target, { ...init, redirect: 'manual',
      headers: { ...init.headers, accept: 'text/html', 'accept-language': this.language,
        ...(cookie === '' ? {} : { cookie }) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const path = attributes.map((part) => part.trim())
        .find((part) => part.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const key = `${pair.slice(0, index).trim()} ${path}`;
      const value = pair.slice(index + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
        this.#cookies.delete(key);
      } else this.#cookies.set(key, value);
    }
    return response;
  }

  /** Reads the page's CSRF token (call with the body of a page that has a form). */
  remember(body: string): void {
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token !== undefined) this.csrfToken = token;
  }
}

/** The markup oidc-provider 9's form_post.js writes, as it writes it. */
export const libraryFormPost = `<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  <title>Submitting Callback</title>
  <script>
    document.addEventListener('DOMContentLoaded', function () { document.forms[0].submit() });
  </script>
</head>
<body>
  <form method="post" action="http://127.0.0.1:3000/oidc/session/end/confirm">
    <input type="hidden" name="xsrf" value="abc"/>
<input type="hidden" name="logout" value="yes"/>
    <noscript>
      Your browser does not support JavaScript or you've disabled it.<br/>
      <button autofocus type="submit">Continue</button>
    </noscript>
  </form>
</body>
</html>`;
