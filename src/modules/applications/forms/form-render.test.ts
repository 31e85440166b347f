import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { html, joinBundles, translator, webMessages, type Language,
  type PageContext } from '#web/index.ts';
import {
  demoForms,
  formPageTitle,
  readPage,
  renderAnswers,
  renderCheckAnswers,
  renderFormPage,
  validateAnswers,
  validatePage,
  formsMessages,
  type Answers,
  type FieldError,
  type FormDefinition,
} from './index.ts';

const bundle = joinBundles([webMessages, formsMessages]);

function pageContext(language: Language): PageContext {
  return { language, t: translator(bundle, language), currentUrl: '/apply', navigation: [] };
}

const passport = demoForms['ordinary-passport-34-pages'] as FormDefinition;
const business = demoForms['business-name-registration'] as FormDefinition;
const csrf = html`<input type="hidden" name="_csrf" value="token">`;

function render(def: FormDefinition, pageId: string, answers: Answers,
  errors: readonly FieldError[] = [], language: Language = 'en'): string {
  return renderFormPage(pageContext(language), { def, pageId, answers, errors,
    action: `/apply/${pageId}`, csrf, backHref: '/back' }).value;
}

/** Every id is unique, and every label and aria-describedby names an element there. */
function assertWellFormed(markup: string): void {
  const ids = [...markup.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(' ')}`);
  for (const match of markup.matchAll(/ for="([^"]+)"/g)) {
    assert.ok(ids.includes(match[1]), `label for ${match[1] ?? ''} has no element`);
  }
  for (const match of markup.matchAll(/aria-describedby="([^"]+)"/g)) {
    for (const id of (match[1] ?? '').split(' ')) assert.ok(ids.includes(id), `no ${id}`);
  }
  for (const match of markup.matchAll(/href="#([^"]+)"/g)) {
    assert.ok(ids.includes(match[1]), `summary link to missing ${match[1] ?? ''}`);
  }
}

describe('renderFormPage', () => {
  it('labels each field, in English and in Swahili, and posts with the CSRF field', () => {
    const english = render(passport, 'personal', {});
    assert.match(english, /<label for="f-fullName">Full name<\/label>/);
    assert.match(english, /<legend>Date of birth<\/legend>/);
    assert.match(english, /<label for="f-dateOfBirth">Day<\/label>/);
    assert.match(english, /<form method="post" action="\/apply\/personal" novalidate/);
    assert.match(english, /name="_csrf" value="token"/);
    assert.match(english, /<a class="back-link" href="\/back">Back<\/a>/);
    assert.doesNotMatch(english, /enctype/);
    assert.doesNotMatch(english, /error-summary/);
    const swahili = render(passport, 'personal', {}, [], 'sw');
    assert.match(swahili, /<label for="f-fullName">Jina kamili<\/label>/);
    assert.match(swahili, /<label for="f-email">Anwani ya barua pepe <span class="optional">/);
    assert.match(swahili, />Endelea<\/button>/);
  });

  it('shows an error summary linking to each field, and keeps what was typed', () => {
    const posted = { fields: { fullName: 'Wanjiku "<b>" Kamau', idNumber: '12',
      'dateOfBirth.day': '31', 'dateOfBirth.month': '2', 'dateOfBirth.year': '1990' },
    files: [] };
    const { answers, errors } = readPage(passport, 'personal', posted, {});
    const markup = render(passport, 'personal', answers, errors);
    assert.match(markup, /<div class="error-summary" role="alert"/);
    assert.match(markup, /<a href="#f-idNumber">“National ID number” must be an ID number/);
    assert.match(markup, /<a href="#f-dateOfBirth">“Date of birth” must be a real date/);
    assert.match(markup, /<a href="#f-phone">Enter “Mobile phone number”<\/a>/);
    assert.match(markup, /value="Wanjiku &quot;&lt;b&gt;&quot; Kamau"/);
    assert.match(markup, /id="f-idNumber" name="idNumber" type="text" value="12"/);
    assert.match(markup, /aria-describedby="f-idNumber-hint f-idNumber-error" aria-invalid="true"/);
    assert.match(markup, /id="f-dateOfBirth" name="dateOfBirth.day"[^>]*value="31"/);
    assert.match(markup, /name="dateOfBirth.year"[^>]*value="1990"/);
    assert.match(markup, /<span class="visually-hidden">Error:<\/span>/);
    assert.equal(formPageTitle(pageContext('en'), passport, 'personal', errors),
      'Error: Your details');
    assert.equal(formPageTitle(pageContext('sw'), passport, 'personal', []), 'Maelezo yako');
    assertWellFormed(markup);
  });

  it('says when a conditional field is to be answered, since no script hides it', () => {
    const markup = render(passport, 'previousPassport', {});
    assert.match(markup, /Answer only if you answered “Yes” to “Have you had a Kenyan passport/);
    assert.match(markup, /name="previousPassportNumber"/);
    const conduct = render(demoForms['certificate-of-good-conduct'] as FormDefinition,
      'details', {}, [], 'sw');
    assert.match(conduct, /Jibu tu ikiwa ulijibu “Jambo lingine” kwa swali “Unahitaji cheti/);
    assert.match(markup, /<input type="radio" id="f-hadPassport" name="hadPassport" value="yes">/);
    const answered = render(passport, 'previousPassport', { hadPassport: false });
    assert.match(answered, /name="hadPassport" value="no" checked>/);
  });

  it('renders a file field in a multipart form, naming a file already uploaded', () => {
    const photo = { fileId: 'x', name: 'me.png', type: 'image/png', size: 204_800 };
    const markup = render(passport, 'photo', { photo });
    assert.match(markup, /enctype="multipart\/form-data"/);
    assert.match(markup, /type="file" accept="image\/jpeg,image\/png"/);
    assert.match(markup, /JPEG, PNG, up to 2 MB\./);
    assert.match(markup, /Uploaded: me\.png \(200 KB\)\. Leave the file box empty to keep it/);
    assertWellFormed(markup);
  });

  it('renders a group as a fixed number of item slots, with item errors linked', () => {
    const posted = { fields: { 'proposedNames.0.name': 'Mama Mboga Traders',
      registeredName: '' }, files: [] };
    const { answers, errors } = readPage(business, 'names', posted, {});
    const markup = render(business, 'names', answers, [...errors,
      { field: 'proposedNames.1.name', messageKey: 'forms.error.required' }]);
    assert.equal([...markup.matchAll(/<fieldset class="group-item">/g)].length, 3);
    assert.match(markup, /<legend>Proposed name 2<\/legend>/);
    assert.match(markup, /name="proposedNames.0.name" type="text" value="Mama Mboga Traders"/);
    assert.match(markup, /<a href="#f-proposedNames-1-name">Proposed name 2: Enter “Name”<\/a>/);
    assert.match(markup, /There is room for 3; leave the ones you do not need blank\./);
    assertWellFormed(markup);
  });

  it('renders every page of every demo form well formed, with and without errors', () => {
    for (const def of new Set(Object.values(demoForms))) {
      for (const page of def.pages) {
        for (const language of ['en', 'sw'] as const) {
          assertWellFormed(render(def, page.id, {}, [], language));
          assertWellFormed(render(def, page.id, {}, validatePage(def, page.id, {}), language));
        }
      }
    }
  });
});

describe('rendering answers of any shape (property)', () => {
  it('never throws and never lets markup through, whatever a stored draft holds', () => {
    const forms = [...new Set(Object.values(demoForms))];
    const value = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constantFrom('<b>x</b>', '"><i>', 'yes'),
        fc.string(), fc.boolean(), fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('name', 'day', 'line1', 'fileId', 'size', 'type'),
          tie('value'), { maxKeys: 4 })),
    })).value;
    fc.assert(fc.property(fc.constantFrom(...forms), fc.nat(), fc.dictionary(
      fc.constantFrom('fullName', 'dateOfBirth', 'guarantors', 'photo', 'hadPassport',
        'homeAddress', 'proposedNames', 'licenceClasses', 'purpose', 'witnesses', 'nature'),
      value, { maxKeys: 6 }), (def, pick, answers) => {
      const page = def.pages[pick % def.pages.length];
      assert.ok(page !== undefined);
      const shown = [render(def, page.id, answers as Answers), renderCheckAnswers(
        pageContext('en'), { def, answers: answers as Answers, changeHref: () => '/c' }).value];
      for (const markup of shown) {
        assert.doesNotMatch(markup, /<b>|<i>/);
      }
      readPage(def, page.id, { fields: {}, files: [] }, answers as Answers);
      validateAnswers(def, answers as Answers);
    }), { numRuns: 300 });
  });
});

describe('renderCheckAnswers and renderAnswers', () => {
  const answers: Answers = {
    fullName: 'Wanjiku Kamau', dateOfBirth: '1990-03-27', sex: 'female', hadPassport: false,
    previousPassportNumber: 'hidden answer',
    homeAddress: { line1: 'P.O. Box 30050', town: 'Nairobi', postcode: '00100' },
    guarantors: [{ name: 'Otieno Ouma', profession: 'teacher', idNumber: '1234567' }],
    photo: { fileId: 'photo-1', name: 'me.png', type: 'image/png', size: 2048 },
  };

  it('lists the visible answers page by page, with Change links and file links', () => {
    const markup = renderCheckAnswers(pageContext('en'), { def: passport, answers,
      changeHref: (pageId) => `/apply/${pageId}?change`, fileHref: (id) => `/files/${id}` })
      .value;
    assert.match(markup, /<h2>Your details<\/h2>/);
    assert.match(markup, /<dt>Full name<\/dt><dd>Wanjiku Kamau<\/dd>/);
    assert.match(markup, /<dd>27 March 1990<\/dd>/);
    assert.match(markup, /<dd>Female<\/dd>/);
    assert.match(markup, /<dd>No<\/dd>/);
    assert.match(markup, /P\.O\. Box 30050<br>Nairobi<br>00100/);
    assert.match(markup, /Guarantor’s full name: Otieno Ouma<br>Guarantor’s ID number: 1234567/);
    assert.match(markup, /Guarantor’s profession: Teacher/);
    assert.match(markup, /<a href="\/files\/photo-1">me\.png \(2 KB\)<\/a>/);
    assert.match(markup, /<a href="\/apply\/personal\?change">Change<span class="visually-hidden"> Full name<\/span><\/a>/);
    assert.match(markup, /<dt>Mobile phone number<\/dt><dd>Not answered<\/dd>/);
    assert.doesNotMatch(markup, /hidden answer/);
  });

  it('shows the answers read-only, in Swahili, without Change links', () => {
    const markup = renderAnswers(pageContext('sw'), { def: passport, answers }).value;
    assert.match(markup, /<dt>Jina kamili<\/dt><dd>Wanjiku Kamau<\/dd>/);
    assert.match(markup, /<dd>Hapana<\/dd>/);
    assert.match(markup, /27 Machi 1990/);
    assert.match(markup, /me\.png \(2 KB\)/);
    assert.doesNotMatch(markup, /Badilisha/);
    assert.doesNotMatch(markup, /<a /);
  });
});
