/**
 * Sign in with Huduma end to end over real HTTP: openid-client (the relying party) against
 * the running app, a citizen signed in to Huduma driving the interaction pages with a form
 * client (session cookie and CSRF). Both databases: the provider's storage is under test too.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as oidc from 'openid-client';
import { describeOnDatabases } from '../../../test/helpers/databases.ts';
import { HttpFormClient, registerTestClient, startFederationApp, type FederationApp,
  type TestClient } from '../../../test/helpers/federation.ts';
import { createTestAgency, signInAs, type TestCaller } from '../../../test/helpers/sessions.ts';
import { listAuditForSubject } from '#modules/audit/index.ts';
import { revokeClient } from './client-service.ts';

const redirectUri = 'http://127.0.0.1:9/callback';
const afterLogout = 'http://127.0.0.1:9/signed-out';
const allScopes = 'openid profile phone id_number offline_access';

type Flow = Readonly<{ config: oidc.Configuration; verifier: string; state: string;
  url: URL }>;

async function startFlow(config: oidc.Configuration, scope = allScopes): Promise<Flow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  // OpenID Connect gives offline_access only with prompt=consent.
  const prompt: Record<string, string> = scope.includes('offline_access')
    ? { prompt: 'consent' } : {};
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope, state,
    ...prompt, code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256' });
  return { config, verifier, state, url };
}

/** The citizen goes through the provider to the consent page and answers it. */
async function consent(browser: HttpFormClient, flow: Flow,
  answer: Readonly<Record<string, string>>): Promise<{ page: string; callback: URL }> {
  let page = await browser.follow(flow.url.href);
  if (page.body.includes('/session/end/confirm"')) {
    // The library ends the provider session of another citizen first (its own form, given a
    // language, heading and main landmark on the way out: form-post-page.ts).
    assert.match(page.body, /<html lang="(en|sw)">[\s\S]*<main>\n<h1>/);
    const swap = /<form method="post" action="([^"]+)">/.exec(page.body)?.[1] ?? '';
    const fields = Object.fromEntries([...page.body.matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]));
    const token = browser.csrfToken;
    browser.csrfToken = undefined;
    const posted = await browser.post(swap, fields);
    browser.csrfToken = token;
    page = await browser.follow(new URL(posted.headers.get('location') ?? '', swap).href);
  }
  assert.equal(page.response.status, 200, page.body);
  browser.remember(page.body);
  const action = /<form method="post" action="([^"]+\/consent)"/.exec(page.body)?.[1];
  assert.ok(action !== undefined, `a consent form: ${page.url} ${page.body.slice(0, 300)}`);
  const posted = await browser.post(action, answer);
  assert.equal(posted.status, 303);
  const end = await browser.follow(new URL(posted.headers.get('location') ?? '',
    flow.url).href);
  return { page: page.body, callback: new URL(end.url) };
}

describeOnDatabases('Sign in with Huduma over HTTP', (database) => {
  let running: FederationApp;
  let client: TestClient;
  let config: oidc.Configuration;
  let citizen: TestCaller;

  before(async () => {
    running = await startFederationApp(database());
    const agencyId = await createTestAgency(database(), 'County Permits');
    client = await registerTestClient(database(), { agencyId, redirectUris: [redirectUri],
      postLogoutRedirectUris: [afterLogout], scopes: allScopes.split(' ') });
    config = await oidc.discovery(new URL(running.issuer), client.clientId, undefined,
      oidc.ClientSecretBasic(client.secret), { execute: [oidc.allowInsecureRequests] });
    citizen = await signInAs(database(), 'account-holder');
  });
  after(async () => running.close());

  it('publishes discovery and a JWKS the library accepts', async () => {
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, running.issuer);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    for (const scope of ['openid', 'profile', 'phone', 'id_number', 'offline_access']) {
      assert.ok(metadata.scopes_supported?.includes(scope), scope);
    }
    const jwks = await (await fetch(metadata.jwks_uri ?? '')).json() as
      { keys: { kty: string; kid: string; d?: string }[] };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.kty, 'RSA');
    assert.equal(jwks.keys[0]?.d, undefined, 'no private part');
  });

  it('signs a citizen in with code + PKCE; no ID number without the tick', async () => {
    const browser = new HttpFormClient(running.baseUrl, { cookie: citizen.headers.cookie });
    const flow = await startFlow(config);
    const { page, callback } = await consent(browser, flow, { decision: 'allow' });
    assert.match(page, /County Permits Portal/);
    assert.match(page, /County Permits</);
    assert.match(page, /name="idNumber" value="yes"/);
    assert.doesNotMatch(page, /name="idNumber" value="yes"\s+checked/);
    const tokens = await oidc.authorizationCodeGrant(config, callback,
      { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
    const claims = tokens.claims();
    assert.equal(claims?.sub, citizen.id);
    assert.equal(claims?.iss, running.issuer);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, citizen.id);
    assert.equal(info.name, 'Test Person');
    assert.equal(info.phone_number, '+254700000000');
    assert.equal(info.id_number, undefined);
    const reads = await listAuditForSubject(database().db, { type: 'account', id: citizen.id },
      { limit: 10, personalDataReadsOnly: true });
    assert.ok(reads.length >= 1, 'each release of claims is a recorded read of personal data');
    const consents = await listAuditForSubject(database().db,
      { type: 'oidc-client', id: client.clientId }, { limit: 50 });
    assert.ok(consents.some((record) => record.action === 'FEDERATION_CONSENT_GRANTED' &&
      record.actor.id === citizen.id), 'the consent is audited');
    assert.ok(tokens.refresh_token !== undefined, `a refresh token (${String(tokens.scope)})`);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'rotated');
    assert.equal((await oidc.fetchUserInfo(config, refreshed.access_token, citizen.id)).name,
      'Test Person');
    await oidc.tokenRevocation(config, refreshed.access_token);
    await assert.rejects(oidc.fetchUserInfo(config, refreshed.access_token, citizen.id),
      { status: 401 });
    await oidc.tokenRevocation(config, refreshed.refresh_token ?? '');
    await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token ?? ''),
      { error: 'invalid_grant' }, 'a revoked refresh token');
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token),
      { error: 'invalid_grant' }, 'the rotated-out refresh token is spent');
  });

  it('releases the ID number when the citizen ticks it', async () => {
    const other = await signInAs(database(), 'account-holder');
    const browser = new HttpFormClient(running.baseUrl, { cookie: other.headers.cookie,
      language: 'sw' });
    const flow = await startFlow(config, 'openid profile id_number');
    const { page, callback } = await consent(browser, flow,
      { decision: 'allow', idNumber: 'yes' });
    assert.match(page, /Ruhusu/);
    const impostor = await oidc.discovery(new URL(running.issuer), client.clientId, undefined,
      oidc.ClientSecretBasic(`${client.secret.slice(1)}x`),
      { execute: [oidc.allowInsecureRequests] });
    await assert.rejects(oidc.authorizationCodeGrant(impostor, callback,
      { pkceCodeVerifier: flow.verifier, expectedState: flow.state }),
    (error: { status?: number; cause?: unknown }) => error.status === 401 &&
      JSON.stringify(error.cause).includes('invalid_client'), 'a wrong secret is refused');
    const tokens = await oidc.authorizationCodeGrant(config, callback,
      { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
    const info = await oidc.fetchUserInfo(config, tokens.access_token, other.id);
    assert.match(String(info.id_number), /^9\d+$/);
    assert.equal(info.id_document_type, 'national_id');
    assert.equal(info.phone_number, undefined, 'phone was not asked for');
  });

  it('answers access_denied when the citizen does not allow it', async () => {
    const other = await signInAs(database(), 'account-holder');
    const browser = new HttpFormClient(running.baseUrl, { cookie: other.headers.cookie });
    const flow = await startFlow(config, 'openid profile');
    const { callback } = await consent(browser, flow, { decision: 'deny' });
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('code'), null);
  });

  it('sends a visitor who is not signed in to the Huduma sign-in, and back', async () => {
    const browser = new HttpFormClient(running.baseUrl);
    const flow = await startFlow(config);
    const toInteraction = await browser.get(flow.url.href);
    const interaction = toInteraction.headers.get('location') ?? '';
    assert.match(interaction, /^\/federation\/interaction\/[^/]+$/);
    const toSignIn = await browser.get(interaction);
    assert.equal(toSignIn.status, 303);
    assert.equal(toSignIn.headers.get('location'),
      `/sign-in?${new URLSearchParams({ return: interaction }).toString()}`);
  });

  it('refuses a redirect_uri not registered, and a request without PKCE', async () => {
    const browser = new HttpFormClient(running.baseUrl);
    const wrong = new URL(oidc.buildAuthorizationUrl(config, { redirect_uri:
      'http://127.0.0.1:9/elsewhere', scope: 'openid', code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256' }));
    const refused = await browser.get(wrong.href);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /redirect_uri_mismatch|invalid_redirect_uri/);
    const noPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri,
      scope: 'openid' });
    const answered = new URL((await browser.get(noPkce.href)).headers.get('location') ?? '');
    assert.equal(answered.origin + answered.pathname, redirectUri);
    assert.equal(answered.searchParams.get('error'), 'invalid_request');
    assert.match(answered.searchParams.get('error_description') ?? '', /PKCE/);
  });

  it('signs out at the relying party\'s request, back to its registered address', async () => {
    const browser = new HttpFormClient(running.baseUrl, { cookie: citizen.headers.cookie });
    const flow = await startFlow(config, 'openid');
    const { callback } = await consent(browser, flow, { decision: 'allow' });
    const tokens = await oidc.authorizationCodeGrant(config, callback,
      { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
    const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: afterLogout });
    const question = await browser.get(logout.href);
    const body = await question.text();
    assert.equal(question.status, 200);
    assert.match(body, /Yes, sign me out/);
    const action = /id="op.logoutForm" method="post" action="([^"]+)"/.exec(body)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
    const confirmed = await browser.post(action, { xsrf, logout: 'yes' });
    assert.equal(confirmed.status, 303);
    assert.equal(new URL(confirmed.headers.get('location') ?? '').origin +
      new URL(confirmed.headers.get('location') ?? '').pathname, afterLogout);
    const bare = await browser.get(oidc.buildEndSessionUrl(config).href);
    const bareBody = await bare.text();
    const bareXsrf = /name="xsrf" value="([^"]+)"/.exec(bareBody)?.[1] ?? '';
    const done = await browser.follow((await browser.post(action, { xsrf: bareXsrf,
      logout: 'yes' })).headers.get('location') ?? '');
    assert.match(done.body, /You are signed out/, 'no address to go back to: our page');
  });

  it('answers a gone sign-in, a forged consent and staff with refusals', async () => {
    const browser = new HttpFormClient(running.baseUrl, { cookie: citizen.headers.cookie });
    const gone = await browser.get('/federation/interaction/no-such-interaction');
    assert.equal(gone.status, 404);
    assert.match(await gone.text(), /This sign-in has ended/);
    const flow = await startFlow(config, 'openid profile');
    const page = await browser.follow(flow.url.href);
    const uid = /\/federation\/interaction\/([^/"]+)\/consent/.exec(page.body)?.[1] ?? '';
    const forged = await browser.post(`/federation/interaction/${uid}/consent`,
      { decision: 'allow' });
    assert.equal(forged.status, 403, 'no CSRF token');
    browser.remember(page.body);
    const elsewhere = await browser.post('/federation/interaction/another-uid/consent',
      { decision: 'allow' });
    assert.equal(elsewhere.status, 404, 'not the interaction this browser is in');
    const staff = await signInAs(database(), 'platform-admin');
    const asStaff = await new HttpFormClient(running.baseUrl,
      { cookie: staff.headers.cookie }).get(`/federation/interaction/${uid}`);
    assert.equal(asStaff.status, 403, 'staff sign in to agency systems as citizens');
  });

  it('refuses the consent of a client revoked meanwhile', async () => {
    const other = await signInAs(database(), 'account-holder');
    const agencyId = await createTestAgency(database(), 'Short Lived');
    const shortLived = await registerTestClient(database(), { agencyId,
      redirectUris: [redirectUri], scopes: ['openid', 'profile'] });
    const shortConfig = await oidc.discovery(new URL(running.issuer), shortLived.clientId,
      undefined, oidc.ClientSecretBasic(shortLived.secret),
      { execute: [oidc.allowInsecureRequests] });
    const browser = new HttpFormClient(running.baseUrl, { cookie: other.headers.cookie });
    const flow = await startFlow(shortConfig, 'openid profile');
    const start = await browser.get(flow.url.href);
    const interaction = start.headers.get('location') ?? '';
    const toLogin = await browser.get(interaction);
    const resumed = await browser.get(toLogin.headers.get('location') ?? '');
    const consentAt = resumed.headers.get('location') ?? '';
    await revokeClient({ db: database().db }, shortLived.clientId,
      { kind: 'system', id: null }, new Date());
    const end = await browser.follow(consentAt);
    assert.equal(end.response.status, 400, 'the provider no longer answers the client');
    assert.match(end.body, /This sign-in request cannot be answered/);
    assert.match(end.body, /<code>access_denied<\/code>/);
  });

  it('follows the Huduma sign-in: another citizen signed in there is the one answered',
    async () => {
      const first = await signInAs(database(), 'account-holder');
      const second = await signInAs(database(), 'account-holder');
      const browser = new HttpFormClient(running.baseUrl, { cookie: first.headers.cookie });
      const once = await startFlow(config, 'openid');
      const { callback } = await consent(browser, once, { decision: 'allow' });
      const tokens = await oidc.authorizationCodeGrant(config, callback,
        { pkceCodeVerifier: once.verifier, expectedState: once.state });
      assert.equal(tokens.claims()?.sub, first.id);
      browser.setCookie(second.headers.cookie ?? '');
      const twice = await startFlow(config, 'openid');
      const { callback: back } = await consent(browser, twice, { decision: 'allow' });
      const again = await oidc.authorizationCodeGrant(config, back,
        { pkceCodeVerifier: twice.verifier, expectedState: twice.state });
      assert.equal(again.claims()?.sub, second.id, 'not the provider session\'s first citizen');
      browser.setCookie(`${(first.headers.cookie ?? '').split('=')[0] ?? ''}=`);
      const signedOut = await browser.get((await startFlow(config, 'openid')).url.href);
      const interaction = signedOut.headers.get('location') ?? '';
      assert.match(interaction, /^\/federation\/interaction\//,
        'signed out of Huduma: asked to sign in again');
      assert.match((await browser.get(interaction)).headers.get('location') ?? '',
        /^\/sign-in\?return=/);
    });
});
