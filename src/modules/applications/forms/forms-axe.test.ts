/**
 * Every page of every demo form, with its errors showing, and its check-your-answers page,
 * in English and Swahili, through axe-core in Chromium: zero WCAG 2.2 AA violations. The
 * pages are rendered in the site's shell with the site's stylesheet inlined.
 */
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumProblem,
  expectNoAxeViolations,
  launchChromium,
} from '#test/helpers/browser.ts';
import { html, joinBundles, renderPage, translator, webMessages, type Language,
  type PageContext } from '#web/index.ts';
import {
  demoForms,
  formPageTitle,
  formsMessages,
  renderCheckAnswers,
  renderFormPage,
  validatePage,
  type Answers,
} from './index.ts';

const bundle = joinBundles([webMessages, formsMessages]);
const css = readFileSync(new URL('../../../web/assets/site.css', import.meta.url), 'utf8');

function context(language: Language): PageContext {
  return { language, t: translator(bundle, language), currentUrl: '/apply', navigation: [] };
}

const answers: Answers = {
  fullName: 'Wanjiku Kamau', dateOfBirth: '1990-03-27', hadPassport: true,
  previousPassportNumber: 'AK0123456', photo: { fileId: 'a', name: 'me.png',
    type: 'image/png', size: 2048 },
  guarantors: [{ name: 'Otieno Ouma', idNumber: '1234567', profession: 'teacher' }],
  proposedNames: [{ name: 'Mama Mboga Traders' }], purpose: 'other', purposeOther: 'Tender',
  licenceClasses: ['B', 'C1'], homeAddress: { line1: 'P.O. Box 30050', town: 'Nairobi' },
};

describe('demo forms have no accessibility violations', { skip: chromiumProblem }, () => {
  let browser: Browser | undefined;
  let page: Page | undefined;
  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 360, height: 640 } });
  });
  after(async () => {
    await browser?.close();
  });

  async function check(language: Language, title: string, main: ReturnType<typeof html>) {
    if (page === undefined) throw new Error('no page');
    await page.setContent(renderPage(context(language), { title, main }),
      { waitUntil: 'domcontentloaded' });
    await page.addStyleTag({ content: css });
    await expectNoAxeViolations(page);
  }

  for (const [slug, def] of Object.entries(demoForms)) {
    if (slug.endsWith('-50-pages') || slug.endsWith('-66-pages') ||
      slug.endsWith('three-years')) continue;
    for (const language of ['en', 'sw'] as const) {
      it(`${slug} in ${language}`, async () => {
        for (const formPage of def.pages) {
          const errors = validatePage(def, formPage.id, {});
          await check(language, formPageTitle(context(language), def, formPage.id, errors),
            renderFormPage(context(language), { def, pageId: formPage.id, answers, errors,
              action: `/apply/${formPage.id}`, backHref: '/back',
              csrf: html`<input type="hidden" name="_csrf" value="t">` }));
        }
        await check(language, 'Check', html`<h1>Check</h1>${renderCheckAnswers(
          context(language), { def, answers, changeHref: (id) => `/apply/${id}`,
            fileHref: (id) => `/files/${id}` })}`);
      });
    }
  }
});
