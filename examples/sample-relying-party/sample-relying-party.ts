/**
 * A sample relying party: an agency's web portal that signs citizens in with Huduma (OpenID
 * Connect, authorization code flow with PKCE), using openid-client. Three pages: the home page
 * ("Sign in with Huduma", or the name Huduma returned and a sign-out button), /callback (where
 * Huduma sends the citizen back) and /logout (signs out here, then at Huduma). Sessions are
 * kept in memory: a real portal keeps them in its own store.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as oidc from 'openid-client';

export type SampleRelyingPartyOptions = Readonly<{
  /** Huduma's issuer, e.g. http://localhost:3000/oidc */
  issuer: string;
  clientId: string;
  clientSecret: string;
  host: string;
  port: number;
  /** Space-separated scopes to ask for (default: openid profile). */
  scope?: string;
}>;

export type SampleRelyingParty = Readonly<{ url: string; close: () => Promise<void> }>;

type Session = {
  pending?: { verifier: string; state: string };
  name?: string;
  idNumber?: string;
  idToken?: string;
};

const sessionCookie = 'sample_rp_session';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${String(character.charCodeAt(0))};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - County Permits Portal</title></head>
<body><header><p>County Permits Portal (a sample agency system)</p></header>
<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function send(response: ServerResponse, status: number, body: string,
  headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store', ...headers });
  response.end(body);
}

function redirect(response: ServerResponse, location: string,
  headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(303, { location, ...headers });
  response.end();
}

function sessionIdOf(request: IncomingMessage): string | undefined {
  const cookies = request.headers.cookie?.split(';') ?? [];
  for (const cookie of cookies) {
    const [name, value] = cookie.trim().split('=');
    if (name === sessionCookie && value !== undefined && value !== '') return value;
  }
  return undefined;
}

function homePage(session: Session | undefined): string {
  if (session?.name === undefined) {
    return page('Welcome', `<p>Sign in to apply for a permit.</p>
<p><a href="/login">Sign in with Huduma</a></p>`);
  }
  const idNumber = session.idNumber === undefined ? ''
    : `<p>Your ID number: ${escapeHtml(session.idNumber)}</p>`;
  return page('Welcome', `<p>Signed in as ${escapeHtml(session.name)}</p>${idNumber}
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`);
}

/** Huduma sent the citizen back: the code is exchanged, and the name read from userinfo. */
async function callback(config: oidc.Configuration, baseUrl: string,
  request: IncomingMessage, response: ServerResponse, session: Session | undefined):
  Promise<void> {
  const current = new URL(request.url ?? '/', baseUrl);
  if (session?.pending === undefined) {
    send(response, 400, page('Sign-in failed', '<p>Start again.</p><p><a href="/">Home</a></p>'));
    return;
  }
  if (current.searchParams.has('error')) {
    delete session.pending;
    send(response, 200, page('Not signed in', `<p>Huduma answered: ${
      escapeHtml(current.searchParams.get('error') ?? '')}</p><p><a href="/">Home</a></p>`));
    return;
  }
  const tokens = await oidc.authorizationCodeGrant(config, current,
    { pkceCodeVerifier: session.pending.verifier, expectedState: session.pending.state });
  const sub = tokens.claims()?.sub ?? '';
  const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
  delete session.pending;
  session.name = typeof info.name === 'string' ? info.name : sub;
  if (typeof info.id_number === 'string') session.idNumber = info.id_number;
  if (tokens.id_token !== undefined) session.idToken = tokens.id_token;
  redirect(response, '/');
}

export async function startSampleRelyingParty(options: SampleRelyingPartyOptions):
  Promise<SampleRelyingParty> {
  const sessions = new Map<string, Session>();
  let configuration: oidc.Configuration | undefined;
  let baseUrl = '';
  const discover = async () => {
    configuration ??= await oidc.discovery(new URL(options.issuer), options.clientId,
      undefined, oidc.ClientSecretBasic(options.clientSecret),
      new URL(options.issuer).protocol === 'http:'
        ? { execute: [oidc.allowInsecureRequests] } : undefined);
    return configuration;
  };

  const login = async (response: ServerResponse) => {
    const config = await discover();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const id = randomBytes(24).toString('base64url');
    sessions.set(id, { pending: { verifier, state } });
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${baseUrl}/callback`,
      scope: options.scope ?? 'openid profile', state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256' });
    redirect(response, url.href,
      { 'set-cookie': `${sessionCookie}=${id}; Path=/; HttpOnly; SameSite=Lax` });
  };

  const logout = async (response: ServerResponse, id: string | undefined) => {
    const config = await discover();
    const session = id === undefined ? undefined : sessions.get(id);
    if (id !== undefined) sessions.delete(id);
    const url = oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: `${baseUrl}/`,
      ...(session?.idToken === undefined ? {} : { id_token_hint: session.idToken }) });
    redirect(response, url.href,
      { 'set-cookie': `${sessionCookie}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://sample.invalid').pathname;
    const id = sessionIdOf(request);
    const session = id === undefined ? undefined : sessions.get(id);
    if (request.method === 'GET' && path === '/') send(response, 200, homePage(session));
    else if (request.method === 'GET' && path === '/login') await login(response);
    else if (request.method === 'GET' && path === '/callback') {
      await callback(await discover(), baseUrl, request, response, session);
    } else if (request.method === 'POST' && path === '/logout') await logout(response, id);
    else send(response, 404, page('Not found', '<p><a href="/">Home</a></p>'));
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 502, page('Sign-in failed', `<p>${escapeHtml(
        error instanceof Error ? error.message : 'error')}</p><p><a href="/">Home</a></p>`));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  baseUrl = `http://${options.host}:${String(port)}`;
  return { url: baseUrl, close: () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }) };
}
