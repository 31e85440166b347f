import assert from 'node:assert/strict';
import { it } from 'node:test';
import en from './locales/en.json' with { type: 'json' };
import { libraryFormPost } from '#test/helpers/federation.ts';
import { accessibleFormPost, isLibraryFormPost } from './form-post-page.ts';

const t = (key: string) => (en as Record<string, string>)[key] ?? key;

it('gives the library\'s self-submitting page a language, a heading, a main and our words, ' +
  'keeping its form, fields and script', () => {
  assert.ok(isLibraryFormPost(libraryFormPost));
  const page = accessibleFormPost(libraryFormPost, 'en', t);
  assert.match(page, /<html lang="en">/);
  assert.match(page, /<main>\n<h1>Signing you in again<\/h1>/);
  assert.match(page, /<title>Signing you in again<\/title>/);
  assert.match(page, /<\/main>\n<\/body>/);
  assert.match(page, /press Continue to end the earlier sign-in/);
  assert.doesNotMatch(page, /does not support JavaScript/);
  for (const kept of ['action="http://127.0.0.1:3000/oidc/session/end/confirm"',
    '<input type="hidden" name="xsrf" value="abc"/>', 'document.forms[0].submit()']) {
    assert.ok(page.includes(kept), kept);
  }
  assert.ok(!isLibraryFormPost(page));
  assert.ok(!isLibraryFormPost('<title>Submitting Callback</title> but no form'));
});
