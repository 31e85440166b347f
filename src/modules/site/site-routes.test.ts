/**
 * The site's own pages: each answers in English and Swahili with real content (the paybill on
 * the help page, the Act on the privacy page, WCAG on the accessibility page), every copy key
 * exists in both languages with the same placeholders, and every page's footer links to them.
 * Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { auditModule } from '#modules/audit/index.ts';
import { authorisationModule } from '#modules/authorisation/index.ts';
import { catalogueModule } from '#modules/catalogue/index.ts';
import { identityModule } from '#modules/identity/index.ts';
import { webPaths } from '#web/index.ts';
import { siteModule, sitePageKeys, sitePages } from './index.ts';
import en from './locales/site.en.json' with { type: 'json' };
import sw from './locales/site.sw.json' with { type: 'json' };

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

it('every key a page uses is in both languages, with the same placeholders, and no other', () => {
  const used = new Set<string>(['site.contents']);
  for (const page of sitePages) for (const key of sitePageKeys(page)) used.add(key);
  const english: Readonly<Record<string, string>> = en;
  const swahili: Readonly<Record<string, string>> = sw;
  for (const key of used) {
    assert.ok(english[key] !== undefined, `en ${key}`);
    assert.ok(swahili[key] !== undefined, `sw ${key}`);
    assert.deepEqual(placeholders(swahili[key] ?? ''), placeholders(english[key] ?? ''), key);
  }
  const unused = Object.keys(english).filter((key) =>
    !used.has(key) && !key.startsWith('site.link.'));
  assert.deepEqual(unused, []);
  assert.deepEqual(Object.keys(swahili).sort(), Object.keys(english).sort());
});

describeOnDatabases('site pages', (database) => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(database(), {
      modules: [catalogueModule, auditModule, authorisationModule, identityModule, siteModule],
    });
  });
  after(async () => {
    await app.close();
  });

  const get = (url: string, language: 'en' | 'sw') => app.inject({
    url, headers: { accept: 'text/html', cookie: `huduma_lang=${language}` },
  });

  it('each page answers in English and Swahili, with nothing left untranslated', async () => {
    for (const page of sitePages) {
      for (const [language, messages] of [['en', en], ['sw', sw]] as const) {
        const response = await get(page.path, language);
        assert.equal(response.statusCode, 200, `${language} ${page.path}`);
        const title = (messages as Readonly<Record<string, string>>)[`site.${page.id}.title`];
        assert.match(response.body, new RegExp(`<html lang="${language}">`));
        assert.match(response.body, new RegExp(`<h1>${title ?? '?'}</h1>`));
        assert.doesNotMatch(response.body, /\{\w+\}/, `a placeholder left on ${page.path}`);
        assert.doesNotMatch(response.body, /(?<![/\w])site\.[a-z]+\.[a-z]/,
          `a key shown on ${page.path}`);
        for (const section of page.sections) {
          assert.match(response.body, new RegExp(`<h2 id="${page.id}-${section.id}">`));
          assert.match(response.body, new RegExp(`<a href="#${page.id}-${section.id}">`));
        }
      }
    }
  });

  it('says what a Kenyan citizen needs to know', async () => {
    const help = (await get(webPaths.help, 'en')).body;
    assert.match(help, /Enter the business number <strong>222222<\/strong>\./);
    assert.match(help, /Enter the bill reference as the account number/);
    assert.match(help, /I paid but the bill says unpaid/);
    assert.match(help, /<a href="\/verify">check a receipt<\/a>/);
    const msaada = (await get(webPaths.help, 'sw')).body;
    assert.match(msaada, /Weka namba ya biashara <strong>222222<\/strong>\./);
    const privacy = (await get(webPaths.privacy, 'en')).body;
    assert.match(privacy, /Data Protection Act, 2019/);
    assert.match(privacy, /<a href="https:\/\/www\.odpc\.go\.ke\/" rel="external">/);
    const accessibility = (await get(webPaths.accessibility, 'sw')).body;
    assert.match(accessibility, /WCAG\) 2\.2/);
    const contact = (await get(webPaths.contact, 'en')).body;
    assert.match(contact, /<a href="mailto:servicedesk@huduma\.example">/);
  });

  it('every page\'s footer links to the site pages', async () => {
    for (const language of ['en', 'sw'] as const) {
      const footer = /<footer[\s\S]*<\/footer>/.exec((await get(webPaths.home, language)).body)
        ?.[0] ?? '';
      for (const page of sitePages) {
        assert.match(footer, new RegExp(`<li><a href="${page.path}">`), `${language} ${page.path}`);
      }
    }
  });
});
