import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageWithMarkup } from './components.ts';
import { html } from './html.ts';
import { translator } from './i18n.ts';
import { renderPage, type PageContext } from './layout.ts';
import { langAttribute, localised, pickText } from './text-language.ts';

describe('language of parts', () => {
  it('picks the translation where there is one, else English, saying which', () => {
    assert.deepEqual(pickText('sw', { en: 'Passport', sw: 'Pasipoti' }),
      { text: 'Pasipoti', language: 'sw' });
    for (const sw of [null, undefined, '', '  ']) {
      assert.deepEqual(pickText('sw', { en: 'Passport', sw }),
        { text: 'Passport', language: 'en' });
    }
    assert.deepEqual(pickText('en', { en: 'Passport', sw: 'Pasipoti' }),
      { text: 'Passport', language: 'en' });
  });

  it('marks only text whose language differs from the page', () => {
    assert.equal(langAttribute('sw', 'en').value, ' lang="en"');
    assert.equal(langAttribute('en', 'en').value, '');
    assert.equal(localised('sw', { text: 'A & B', language: 'en' }).value,
      '<span lang="en">A &amp; B</span>');
    assert.equal(localised('en', { text: 'A & B', language: 'en' }).value, 'A &amp; B');
  });
});

describe('messages with markup', () => {
  const t = translator({
    en: { 'credit': 'From the {title} by {author} <b>({licence})</b>.' },
    sw: { 'credit': 'Kutoka {title}.' },
  }, 'en');

  it('puts markup in placeholders and escapes everything else', () => {
    const message = messageWithMarkup(t, 'credit', {
      title: html`<a href="/x">Dataset</a>`, author: '<script>', licence: 'CC BY 4.0',
    });
    assert.equal(message.value,
      'From the <a href="/x">Dataset</a> by &lt;script&gt; &lt;b&gt;(CC BY 4.0)&lt;/b&gt;.');
  });

  it('leaves an unknown placeholder visible rather than dropping text', () => {
    assert.equal(messageWithMarkup(t, 'credit', {}).value,
      'From the {title} by {author} &lt;b&gt;({licence})&lt;/b&gt;.');
  });
});

describe('the page shell', () => {
  const context = (currentUrl: string): PageContext => ({
    language: 'en',
    t: (key) => key,
    currentUrl,
    navigation: [{ href: '/services', labelKey: 'services' }, { href: '/', labelKey: 'home' }],
  });

  it('marks the current navigation item: the page itself, or a section above it', () => {
    const own = renderPage(context('/services?q=x'), { title: 'T', main: html`` });
    assert.match(own, /<a href="\/services" aria-current="page">services<\/a>/);
    assert.match(own, /<a href="\/">home<\/a>/);
    const under = renderPage(context('/services/passport'), { title: 'T', main: html`` });
    assert.match(under, /<a href="\/services" aria-current="true">/);
    assert.match(under, /<a href="\/">home<\/a>/, 'home is above everything, never current');
  });

  it('shows a footer note only on the pages that pass one', () => {
    const plain = renderPage(context('/'), { title: 'T', main: html`` });
    assert.doesNotMatch(plain, /footer-note/);
    const credited = renderPage(context('/'), {
      title: 'T', main: html``, footerNote: html`From <a href="/about">the data</a>`,
    });
    assert.match(credited, /<p class="footer-note">From <a href="\/about">the data<\/a><\/p>/);
  });
});
