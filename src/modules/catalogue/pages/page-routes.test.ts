import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  demoCatalogue as demo,
  importedCatalogue as imported,
  insertPageTestCatalogue,
} from './page-test-catalogue.ts';

const creditPattern = /<p class="footer-note">Some information on this page comes from the <a href="https:\/\/github\.com\/karaalv\/kenya-ecitizen-services-dataset">Kenya eCitizen Services Dataset<\/a> by karaalv \(<a href="https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/" rel="license">CC BY 4\.0<\/a>\)\. <a href="\/about#data">About the data<\/a><\/p>/;

describeOnDatabases('catalogue pages', (database) => {
  let app: FastifyInstance;
  before(async () => {
    await insertPageTestCatalogue(database());
    app = await buildTestApp(database());
  });
  after(async () => {
    await app.close();
  });

  const get = (url: string, language: 'en' | 'sw' = 'en') => app.inject({
    url, headers: { accept: 'text/html', cookie: `huduma_lang=${language}` },
  });

  it('home: a GET search form, popular (demo) services, a way to browse', async () => {
    const response = await get('/');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] ?? '', /^text\/html; charset=utf-8/);
    const body = response.body;
    assert.match(body, /<form class="search" action="\/services" method="get" role="search">/);
    assert.match(body, /<label for="search-text">Search for a government service<\/label>/);
    assert.match(body, /<input type="search" id="search-text" name="q" value=""/);
    assert.match(body, /<a href="\/services\/birth-certificate">Birth certificate<\/a>/);
    assert.doesNotMatch(body, /law-review-/, 'imported services are not featured');
    assert.match(body, /<a href="\/ministries">Browse all ministries<\/a>/);
    assert.match(body, /<a href="\/services">Services<\/a>/, 'the module adds navigation');
    assert.doesNotMatch(body, /footer-note/, 'no imported data, no credit');
  });

  it('search: a count, the query echoed escaped, hits linking to services', async () => {
    const response = await get('/services?q=passport');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<h2 id="results-count">\d+ services found<\/h2>/);
    assert.match(response.body, /value="passport"/);
    assert.match(response.body,
      new RegExp(`<a href="/services/${demo.serviceSlug}">${demo.serviceNameEn.replace(/[()]/g, '\\$&')}</a>`));
    const hostile = await get(`/services?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    assert.equal(hostile.statusCode, 200);
    assert.doesNotMatch(hostile.body, /<script>alert/);
    assert.match(hostile.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    assert.match(hostile.body, /You searched for “&quot;&gt;&lt;script&gt;/);
  });

  it('search: no results gives help, and the filters are plain GET selects', async () => {
    const none = await get('/services?q=qqqqxxxxzzzz');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /No services found/);
    assert.match(none.body, /No services match your search/);
    assert.match(none.body, /<a href="\/ministries">browse services by ministry<\/a>/);
    assert.match(none.body, /<select id="filter-ministry" name="ministry">/);
    assert.doesNotMatch(none.body, /filter-agency/, 'agencies are listed once a ministry is');
    const filtered = await get(`/services?q=passport&ministry=${demo.ministrySlug}`);
    assert.match(filtered.body, new RegExp(`value="${demo.ministrySlug}" selected>`));
    assert.match(filtered.body, /<select id="filter-agency" name="agency">/);
    assert.match(filtered.body, /<a href="\/services\?q=passport">Clear filters<\/a>/);
  });

  it('search: an agency implies its ministry; one of another ministry is dropped', async () => {
    const byAgency = await get(`/services?agency=${demo.agencySlug}`);
    assert.equal(byAgency.statusCode, 200);
    assert.match(byAgency.body, new RegExp(`value="${demo.ministrySlug}" selected>`));
    assert.match(byAgency.body, new RegExp(`value="${demo.agencySlug}" selected>`));
    const mixed = await get(
      `/services?ministry=${imported.ministrySlug}&agency=${demo.agencySlug}`);
    assert.equal(mixed.statusCode, 200);
    assert.doesNotMatch(mixed.body, new RegExp(`value="${demo.agencySlug}" selected>`));
    assert.match(mixed.body, /55 services found/);
  });

  it('search: pages of 20, with a link to the next, and help past the last page', async () => {
    const first = await get(`/services?agency=${imported.agencySlug}`);
    assert.match(first.body, /55 services found/);
    assert.match(first.body, /Page 1 of 3/);
    assert.match(first.body,
      new RegExp(`<a rel="next" href="/services\\?agency=${imported.agencySlug}&amp;page=2">`),
      'the next page keeps the filters as asked');
    assert.match(first.body, creditPattern, 'hits include imported rows');
    const past = await get(`/services?agency=${imported.agencySlug}&page=9`);
    assert.equal(past.statusCode, 200);
    assert.match(past.body, /There are no results on this page\./);
  });

  it('ministries: every one with its counts, crediting the imported ones', async () => {
    const response = await get('/ministries');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, new RegExp(`<a href="/ministries/${demo.ministrySlug}">`));
    assert.match(response.body, /Agencies: 1 · Services: 55/);
    assert.match(response.body, creditPattern);
    assert.match(response.body, /<a href="\/ministries" aria-current="page">Ministries<\/a>/);
  });

  it('a ministry: its agencies; a demo ministry carries no credit', async () => {
    const response = await get(`/ministries/${demo.ministrySlug}`);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, new RegExp(`<a href="/agencies/${demo.agencySlug}">`));
    assert.match(response.body,
      new RegExp(`<a href="/services\\?ministry=${demo.ministrySlug}">`));
    assert.doesNotMatch(response.body, /footer-note/);
    assert.match(response.body, /<a href="\/ministries" aria-current="true">/);
  });

  it('an imported agency: its services, paginated by 50, credited, English marked in Swahili',
    async () => {
      const response = await get(`/agencies/${imported.agencySlug}`, 'sw');
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<h1><span lang="en">Law Review Commission<\/span><\/h1>/);
      assert.match(response.body, /<h2>Huduma \(55\)<\/h2>/);
      assert.match(response.body, /Ukurasa 1 kati ya 2/);
      assert.match(response.body,
        new RegExp(`<a rel="next" href="/agencies/${imported.agencySlug}\\?page=2">`));
      assert.match(response.body, /mkusanyiko wa data <a href="[^"]+" lang="en">Kenya eCitizen/);
      const second = await get(`/agencies/${imported.agencySlug}?page=2`);
      assert.match(second.body, new RegExp(`/services/${imported.serviceSlug(55)}"`));
      assert.doesNotMatch(second.body, new RegExp(`/services/${imported.serviceSlug(1)}"`));
    });

  it('a service: details, requirements, fees with the access fee apart, and Pay (no form)',
    async () => {
      const response = await get(`/services/${demo.serviceSlug}`);
      assert.equal(response.statusCode, 200);
      const body = response.body;
      assert.match(body, /<h1>Ordinary passport \(34 pages\)<\/h1>/);
      assert.match(body, /<dt>Time to deliver<\/dt><dd>10 days after payment<\/dd>/);
      assert.match(body, /<dt>How you receive it<\/dt><dd>You collect it in person<\/dd>/);
      assert.match(body, /<dt>Who can apply<\/dt><dd>Kenyan citizens<\/dd>/);
      assert.match(body, /<dt>On Huduma<\/dt><dd>You can apply and pay on Huduma<\/dd>/);
      assert.match(body, /<ul class="requirements"><li>National identity card/);
      assert.match(body, /<th scope="row">Service fee<\/th><td class="num">KES\u00a04,550\.00/);
      assert.match(body, /<th scope="row">Access fee<\/th><td class="num">KES\u00a050\.00/);
      assert.match(body, /Total to pay<\/th><td class="num"><strong>KES\u00a04,600\.00/);
      assert.match(body, /These fees apply from 1 July 2023\./);
      assert.doesNotMatch(body, /\/apply"/, 'without a form there is nothing to apply on');
      assert.match(body, new RegExp(`<form method="post" action="/pay/services/${
        demo.serviceSlug}">\\s*<input type="hidden" name="_csrf" value="[^"]+">`),
        'a service with a fee offers to pay for it, with a CSRF token');
      assert.match(body, new RegExp(`<li><a href="/agencies/${demo.agencySlug}">`),
        'breadcrumbs lead back to the agency');
    });

  it('a service in Swahili: Swahili names, copy and dates', async () => {
    const response = await get(`/services/${demo.serviceSlug}`, 'sw');
    assert.match(response.body, /<html lang="sw">/);
    assert.match(response.body, /<h1>Pasipoti ya kawaida \(kurasa 34\)<\/h1>/);
    assert.match(response.body, /Ada ya matumizi ya jukwaa/);
    assert.match(response.body, /kuanzia 1 Julai 2023/);
    assert.match(response.body, /<ul class="requirements"><li>Kitambulisho/);
  });

  it('an imported service without fee or translation: says so, in English where it must',
    async () => {
      const response = await get(`/services/${imported.serviceSlug(1)}`, 'sw');
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<h1 lang="en">Law review request 01<\/h1>/);
      assert.match(response.body, /<p lang="en">Ask the commission to review a law\.<\/p>/);
      assert.match(response.body, /<ul class="requirements" lang="en"><li>A letter/);
      assert.match(response.body, /Hakuna ada iliyochapishwa kwa huduma hii\./);
      assert.match(response.body, /<dt>Muda wa kukamilisha<\/dt><dd>Haujachapishwa<\/dd>/);
      assert.match(response.body, /class="footer-note"/);
      const english = await get(`/services/${imported.serviceSlug(2)}`);
      assert.match(english.body, /No fee is published for this service\./);
      assert.match(english.body, /The agency has not published what you need/);
      assert.match(english.body, creditPattern);
    });

  it('a service with no form and no fee online says where to go instead', async () => {
    const response = await get(`/services/${imported.serviceSlug(2)}`);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /You cannot apply for or pay for this service on Huduma yet\./);
    assert.doesNotMatch(response.body, /\/apply"/);
    assert.doesNotMatch(response.body, /action="\/pay\/services\//);
  });

  it('about: what Huduma is, and the dataset attribution with its licence', async () => {
    const response = await get('/about');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<h2 id="data">/);
    assert.match(response.body, /<a href="https:\/\/github\.com\/karaalv\/kenya-ecitizen-services-dataset">Kenya eCitizen Services Dataset<\/a>/);
    assert.match(response.body, /<dt>Author<\/dt><dd>karaalv<\/dd>/);
    assert.match(response.body, /<a href="https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/" rel="license">CC BY 4\.0<\/a>/);
  });

  it('unknown slugs are 404 pages (and problem+json for API clients)', async () => {
    for (const url of ['/services/no-such-service', '/ministries/no-such-ministry',
      '/agencies/no-such-agency']) {
      const response = await get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(response.body, /Page not found/, url);
    }
    const api = await app.inject({ url: '/services/no-such-service',
      headers: { accept: 'application/json' } });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'CATALOGUE_SERVICE_NOT_FOUND');
  });

  it('a NUL character in a slug or a query value is a 400 page before any route runs',
    async () => {
      for (const url of [`/services/${encodeURIComponent('bad\u0000slug')}`,
        '/services?ministry=a%00b']) {
        const response = await get(url);
        assert.equal(response.statusCode, 400, url);
        assert.match(response.body, /We could not understand that request/, url);
      }
    });

  it('malformed query values are 400 pages that say what was wrong', async () => {
    const cases: readonly (readonly [string, RegExp])[] = [
      ['/services?page=0', /page number must be a whole number from 1 to 1000/],
      ['/services?page=-1', /page number must be/],
      ['/services?page=1.5', /page number must be/],
      ['/services?page=1001', /page number must be/],
      ['/services?page=abc', /page number must be/],
      ['/services?q=a&q=b', /gives “q” more than once/],
      [`/services?q=${'a'.repeat(201)}`, /at most 200 characters/],
      ['/services?ministry=no-such-ministry', /There is no ministry with that name/],
      ['/services?agency=no-such-agency', /There is no agency with that name/],
      [`/ministries/${demo.ministrySlug}?page=x`, /page number must be/],
      [`/agencies/${demo.agencySlug}?page=0`, /page number must be/],
    ];
    for (const [url, message] of cases) {
      const response = await get(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(response.body, message, url);
      assert.match(response.body, /<div class="error-summary" role="alert">/);
    }
  });

  it('tolerates what people type: spaces, control characters, an empty page', async () => {
    const response = await get('/services?q=%20%20passport%09%0A&page=');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /value="passport"/);
  });
});
