/**
 * A tiny browser for route tests over app.inject(): keeps cookies, reads the CSRF token from
 * the last page it got, and posts forms the way a browser does (urlencoded, with the token).
 * It never follows redirects, so tests see each 303.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class FormClient {
  readonly #app: FastifyInstance;
  readonly #cookies = new Map<string, string>();
  #csrfToken: string | undefined;
  readonly language: 'en' | 'sw';
  readonly #remoteAddress: string;

  constructor(
    app: FastifyInstance,
    options: Readonly<{ language?: 'en' | 'sw'; remoteAddress?: string }> = {},
  ) {
    this.#app = app;
    this.language = options.language ?? 'en';
    this.#remoteAddress = options.remoteAddress ?? '127.0.0.1';
  }

  get cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** The CSRF token of the last page that had a form. */
  get csrfToken(): string | undefined {
    return this.#csrfToken;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.#app.inject({
      method: 'GET', url, headers: this.#headers(), remoteAddress: this.#remoteAddress,
    });
    this.#remember(response);
    return response;
  }

  /** Posts a form with the current CSRF token (pass `_csrf` yourself to override it). */
  async post(url: string, form: Readonly<Record<string, string>> = {})
    : Promise<LightMyRequestResponse> {
    const token: Record<string, string> = this.#csrfToken === undefined ? {}
      : { _csrf: this.#csrfToken };
    const fields = { ...token, ...form };
    const response = await this.#app.inject({
      method: 'POST', url, remoteAddress: this.#remoteAddress,
      headers: { ...this.#headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    this.#remember(response);
    return response;
  }

  #headers(): Record<string, string> {
    return {
      accept: 'text/html',
      'accept-language': this.language,
      'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile',
      ...(this.#cookies.size === 0 ? {} : { cookie: this.cookieHeader }),
    };
  }

  #remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      const expired = cookie.value === '' ||
        (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now()) ||
        cookie.maxAge === 0;
      if (expired) this.#cookies.delete(cookie.name);
      else this.#cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token !== undefined) this.#csrfToken = token;
  }
}
