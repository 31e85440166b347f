/** Pure rules of Sign in with Huduma: redirect addresses, client input, CSP for form redirects. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNewClient } from './client-service.ts';
import { basicCredentialsOf, secretForLibrary, unpresentableSecret } from
  './presented-secret.ts';
import { isAcceptableRedirectUri } from './federation-scopes.ts';
import { allowFormRedirectTo, headerText } from './form-redirects.ts';
import { loadProviderKeys, providerKeysOf } from './federation-keys.ts';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { readFederationConfig } from '../../config-federation.ts';

describe('Sign in with Huduma rules', () => {
  it('accepts https redirect addresses, and http only on this machine', () => {
    assert.equal(isAcceptableRedirectUri('https://permits.county.go.ke/callback'), true);
    assert.equal(isAcceptableRedirectUri('http://127.0.0.1:4200/callback'), true);
    assert.equal(isAcceptableRedirectUri('http://localhost/cb'), true);
    assert.equal(isAcceptableRedirectUri('http://permits.example/callback'), false);
    assert.equal(isAcceptableRedirectUri('https://permits.example/cb#fragment'), false);
    assert.equal(isAcceptableRedirectUri('https://user:pw@permits.example/cb'), false);
    assert.equal(isAcceptableRedirectUri('javascript:alert(1)'), false);
    assert.equal(isAcceptableRedirectUri('not a url'), false);
  });

  it('checks a new client: name, addresses and scopes; openid always in', () => {
    const good = checkNewClient({ agencyId: 'a', name: '  Portal ', scopes: ['profile'],
      redirectUris: ['https://a.example/cb', 'https://a.example/cb'],
      postLogoutRedirectUris: [] });
    assert.ok(good.ok);
    assert.equal(good.value.name, 'Portal');
    assert.deepEqual(good.value.scopes, ['openid', 'profile']);
    assert.deepEqual(good.value.redirectUris, ['https://a.example/cb']);
    for (const bad of [{ name: '' }, { name: 'x'.repeat(81) }, { redirectUris: [] },
      { redirectUris: ['http://a.example/cb'] }, { scopes: ['email'] },
      { postLogoutRedirectUris: ['ftp://a.example/'] }]) {
      const checked = checkNewClient({ agencyId: 'a', name: 'Portal', scopes: [],
        redirectUris: ['https://a.example/cb'], postLogoutRedirectUris: [], ...bad });
      assert.equal(checked.ok, false, JSON.stringify(bad));
    }
  });

  it('lets a form redirect to the relying party\'s origin only', () => {
    const policy = "default-src 'self'; form-action 'self'; frame-ancestors 'none'";
    assert.equal(allowFormRedirectTo(policy, 'https://rp.example:8443/cb?x=1'),
      "default-src 'self'; form-action 'self' https://rp.example:8443; frame-ancestors 'none'");
    assert.equal(allowFormRedirectTo(policy, undefined), policy);
    assert.equal(allowFormRedirectTo(policy, 'not a url'), policy);
    assert.equal(allowFormRedirectTo(undefined, 'https://rp.example/'), undefined);
    assert.equal(headerText(['a', 'b']), 'a, b');
    assert.equal(headerText(5), '5');
    assert.equal(headerText(undefined), undefined);
  });

  it('reads the signing key: RSA or P-256, PKCS8 PEM only', () => {
    const pem = (type: 'rsa' | 'ec', options: object) => generateKeyPairSync(type as 'rsa',
      options as { modulusLength: number }).privateKey
      .export({ type: 'pkcs8', format: 'pem' }).toString();
    const ec = providerKeysOf(pem('ec', { namedCurve: 'P-256' }));
    assert.equal(ec.jwks.keys[0]?.alg, 'ES256');
    assert.throws(() => providerKeysOf(pem('ec', { namedCurve: 'P-384' })), /P-256/);
    assert.throws(() => providerKeysOf(pem('rsa', { modulusLength: 1024 })), /2048/);
    const problems: string[] = [];
    assert.equal(readFederationConfig({ HUDUMA_OIDC_SIGNING_KEY: 'abc' }, problems).signingKey,
      undefined);
    assert.match(problems[0] ?? '', /PKCS8 PEM/);
    assert.equal(readFederationConfig({}, []).signingKey, undefined);
    const key = pem('ec', { namedCurve: 'P-256' });
    assert.equal(readFederationConfig({ HUDUMA_OIDC_SIGNING_KEY: key }, []).signingKey,
      key.trim());
  });

  it('loads the key from config, refuses production without one, keeps one in development',
    async () => {
      const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
        .export({ type: 'pkcs8', format: 'pem' }).toString();
      const configured = await loadProviderKeys({ environment: 'production',
        dataDirectory: '', federation: { signingKey: pem } });
      assert.equal(configured.jwks.keys[0]?.alg, 'ES256');
      await assert.rejects(loadProviderKeys({ environment: 'production', dataDirectory: '',
        federation: { signingKey: undefined } }), /HUDUMA_OIDC_SIGNING_KEY/);
      const folder = await mkdtemp(path.join(tmpdir(), 'huduma-oidc-'));
      try {
        const first = await loadProviderKeys({ environment: 'development',
          dataDirectory: folder, federation: { signingKey: undefined } });
        const again = await loadProviderKeys({ environment: 'development',
          dataDirectory: folder, federation: { signingKey: undefined } });
        assert.equal(first.jwks.keys[0]?.kid, again.jwks.keys[0]?.kid, 'a restart keeps it');
        assert.equal((await stat(path.join(folder, 'oidc-signing-key.pem'))).mode & 0o777,
          0o600);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  it('reads Basic client credentials, form-urlencoded, and nothing else', () => {
    const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
    assert.deepEqual(basicCredentialsOf(basic('hc_a:s%3Ae+t')),
      { clientId: 'hc_a', secret: 's:e t' });
    assert.equal(basicCredentialsOf(undefined), undefined);
    assert.equal(basicCredentialsOf('Bearer abc'), undefined);
    assert.equal(basicCredentialsOf(basic('no colon')), undefined);
    assert.equal(basicCredentialsOf(basic('hc_a:%E0%A4%A')), undefined, 'bad escape');
    assert.equal(secretForLibrary('hc_a', null), unpresentableSecret, 'no stored hash');
  });
});
