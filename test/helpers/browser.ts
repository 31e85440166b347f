/**
 * Real-browser tests: the Debian Chromium driven by playwright-core, against the real app
 * listening on 127.0.0.1 (a random port) over a PGlite database with the demo data seeded.
 *
 * Chromium is found at HUDUMA_CHROMIUM_PATH (default /usr/bin/chromium). Where it is missing
 * the browser suites are skipped LOUDLY; with HUDUMA_REQUIRE_ALL_TESTS=1 (CI) that is a
 * failure instead. Each launch gets a fresh, temporary user-data-dir: playwright creates one
 * per launch (it refuses a --user-data-dir argument to launch()) and deletes it on close, so
 * no state leaks between runs.
 *
 * For other suites: `describeInBrowser(title, (suite) => ...)`, then in a test
 * `const page = await suite().newPage({ javaScript: false })`, `await page.goto('/path')`;
 * `await expectNoAxeViolations(page)` in a page with JavaScript on (axe is a script).
 * `openPageAs(browser, baseUrl, caller)` opens one signed in as a signInAs caller.
 * Requests to any other origin are blocked and recorded; `expectNoThirdPartyRequests(page)`
 * asserts there were none.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import axe from 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { identityCookieNames } from '#modules/identity/index.ts';
import { seedDemoData } from '../../src/seed.ts';
import type { AppDeps } from '../../src/app.ts';
import { buildTestApp, testDeps } from './app.ts';
import { openTestDatabase } from './databases.ts';
import type { Role } from '#modules/authorisation/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createTestAgency, signInAs, type TestCaller } from './sessions.ts';
import { reportSkip, requireAllTests } from './skips.ts';

export const chromiumPath = process.env.HUDUMA_CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run',
];

/** Why browser tests cannot run here, or undefined when they can. */
export const chromiumProblem: string | undefined = existsSync(chromiumPath)
  ? undefined
  : `Chromium is not installed at ${chromiumPath} (set HUDUMA_CHROMIUM_PATH)`;

if (chromiumProblem !== undefined) {
  if (requireAllTests) {
    throw new Error(`${chromiumProblem}, and HUDUMA_REQUIRE_ALL_TESTS=1 forbids skipping`);
  }
  reportSkip(`${chromiumProblem}; browser tests did not run`);
}

/** Slow 3G phones are the target, but the test machine is shared: be patient, not flaky. */
const actionTimeoutMs = 15_000;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs],
    timeout: 60_000,
  });
}

export type PageOptions = Readonly<{
  /** false: a context with JavaScript disabled, as on a phone with scripts off. */
  javaScript?: boolean;
  /** Defaults to a small phone, 360 x 640 CSS pixels. */
  viewport?: Readonly<{ width: number; height: number }>;
  /** The browser's Accept-Language (e.g. 'sw-KE'); default English. */
  locale?: string;
}>;

const thirdPartyRequests = new WeakMap<Page, string[]>();
const scriptsOff = new WeakSet<Page>();

/**
 * A page in a fresh context (own cookies), with relative URLs resolved against `baseUrl`
 * and every request to another origin blocked and recorded. Close it with closePage().
 */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  options: PageOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.viewport ?? { width: 360, height: 640 },
    locale: options.locale ?? 'en-KE',
  });
  context.setDefaultTimeout(actionTimeoutMs);
  const origin = new URL(baseUrl).origin;
  const blocked: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  thirdPartyRequests.set(page, blocked);
  if (options.javaScript === false) scriptsOff.add(page);
  return page;
}

/**
 * A page (as openPage) signed in as `caller`: the caller's session cookie (signInAs) set on
 * the context before anything is loaded, as if they had signed in with this browser.
 */
export async function openPageAs(
  browser: Browser,
  baseUrl: string,
  caller: TestCaller,
  options: PageOptions = {},
): Promise<Page> {
  const page = await openPage(browser, baseUrl, options);
  const [name = '', value = ''] = (caller.headers.cookie ?? '').split('=');
  assert.equal(name, identityCookieNames(false).session);
  await page.context().addCookies([{ name, value, url: baseUrl }]);
  return page;
}

export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

export function expectNoThirdPartyRequests(page: Page): void {
  assert.deepEqual(thirdPartyRequests.get(page) ?? [], [],
    'the page asked another origin for something');
}

/** The WCAG 2.x A and AA rules (2.0, 2.1, 2.2): what the platform promises. */
export const axeRunOptions: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
};

type Violation = AxeResults['violations'][number];

function describeViolations(url: string, violations: readonly Violation[]): string {
  const lines = [`${violations.length} accessibility violation(s) on ${url}:`];
  for (const violation of violations) {
    lines.push(`- ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}`,
      `  ${violation.helpUrl}`);
    for (const node of violation.nodes.slice(0, 5)) {
      lines.push(`  at ${node.target.join(' ')}`, `    ${node.html.slice(0, 200)}`,
        ...(node.failureSummary ?? '').split('\n').map((line) => `    ${line}`));
    }
  }
  return lines.join('\n');
}

/** axe on a large page on a loaded machine takes seconds; a minute means it is stuck. */
const axeTimeoutMs = 60_000;

/**
 * Runs axe-core in the page and fails, listing each violation and where, unless there are
 * none. Playwright evaluates outside the page's CSP, so axe needs no script from the site,
 * but it does need scripting: in a JavaScript-off page its timers never fire. Check the
 * same URL in a page with JavaScript on (the server sends the same HTML either way).
 */
/**
 * Waits for the page's load event, which waits for its stylesheets (loaded or failed): axe
 * measures what is rendered (target sizes, contrast), and on a loaded CI machine a page could
 * be checked before its CSS arrived, which reports the unstyled page's faults.
 */
async function waitForStylesheets(page: Page): Promise<void> {
  await page.waitForLoadState('load', { timeout: axeTimeoutMs });
}

export async function expectNoAxeViolations(page: Page): Promise<void> {
  assert.ok(!scriptsOff.has(page),
    'axe needs JavaScript: run it in a page opened with javaScript: true');
  await waitForStylesheets(page);
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.evaluate(axe.source);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`axe did not finish on ${page.url()} ` +
      `within ${axeTimeoutMs} ms`)), axeTimeoutMs);
  });
  try {
    const violations = await Promise.race([page.evaluate(async (options) => {
      const runner = (window as unknown as { axe: typeof axe }).axe;
      const results = await runner.run(document, options);
      return results.violations;
    }, axeRunOptions), timeout]);
    assert.ok(violations.length === 0, describeViolations(page.url(), violations));
  } finally {
    clearTimeout(timer);
  }
}

export type BrowserSuite = Readonly<{
  app: FastifyInstance;
  baseUrl: string;
  browser: Browser;
  newPage: (options?: PageOptions) => Promise<Page>;
}>;

/**
 * A suite with the app listening on a random local port over a fresh PGlite database with
 * the demo data, and one Chromium. Browser suites run on PGlite only: the route tests cover
 * both databases; here the browser is what is under test.
 */
export function describeInBrowser(
  title: string,
  body: (suite: () => BrowserSuite) => void,
  overrides: Partial<AppDeps> = {},
): void {
  describe(title, { skip: chromiumProblem ?? false }, () => {
    let current: BrowserSuite | undefined;
    let disposeDatabase: (() => Promise<void>) | undefined;
    before(async () => {
      const database = await openTestDatabase('pglite');
      disposeDatabase = database.dispose;
      await seedDemoData(testDeps(database.handle, overrides));
      const app = await buildTestApp(database.handle, overrides);
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const browser = await launchChromium();
      current = {
        app,
        baseUrl: address,
        browser,
        newPage: (options) => openPage(browser, address, options),
      };
    });
    after(async () => {
      await current?.browser.close();
      await current?.app.close();
      await disposeDatabase?.();
    });
    body(() => {
      if (current === undefined) throw new Error('suite() called before the suite started');
      return current;
    });
  });
}

export type AgencyBrowserSuite = Readonly<{
  database: DatabaseHandle;
  agencyId: string;
  baseUrl: string;
  /** A page signed in as a new member of staff of the role (of the suite's agency). */
  pageAs: (role: Role, options?: PageOptions) => Promise<Page>;
}>;

/**
 * A suite over a fresh PGlite database holding one agency (no demo data), the app listening on
 * a random local port, and one Chromium: for the agency staff pages.
 */
export function describeAgencyInBrowser(
  title: string,
  agencyName: string,
  body: (suite: () => AgencyBrowserSuite) => void,
): void {
  describe(title, { skip: chromiumProblem ?? false }, () => {
    let current: AgencyBrowserSuite | undefined;
    let close: () => Promise<void> = async () => undefined;
    before(async () => {
      const opened = await openTestDatabase('pglite');
      const database = opened.handle;
      const agencyId = await createTestAgency(database, agencyName);
      const app = await buildTestApp(database);
      const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
      const browser = await launchChromium();
      close = async () => {
        await browser.close();
        await app.close();
        await opened.dispose();
      };
      current = { database, agencyId, baseUrl, pageAs: async (role, options = {}) =>
        openPageAs(browser, baseUrl, await signInAs(database, role, { agencyId }), options) };
    });
    after(async () => close());
    body(() => {
      if (current === undefined) throw new Error('suite() called before the suite started');
      return current;
    });
  });
}
