import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  demoFormFor,
  demoForms,
  parseFormDefinition,
  type FormDefinition,
  type FormField,
} from './index.ts';

function problemsOf(json: unknown): readonly string[] {
  const result = parseFormDefinition(json);
  return result.ok ? [] : result.error;
}

function clone(def: FormDefinition): { pages: { id: string; fields: FormField[] }[] } &
Record<string, unknown> {
  return structuredClone(def) as never;
}

const uniqueForms = [...new Set(Object.values(demoForms))];

describe('parseFormDefinition', () => {
  it('accepts every demo form, and JSON copies of them', () => {
    for (const [slug, def] of Object.entries(demoForms)) {
      assert.deepEqual(problemsOf(def), [], slug);
      assert.deepEqual(problemsOf(JSON.parse(JSON.stringify(def))), [], slug);
    }
  });

  it('has forms for the demo services, and none for an unknown slug', () => {
    for (const slug of ['ordinary-passport-34-pages', 'ordinary-passport-50-pages',
      'ordinary-passport-66-pages', 'driving-licence-renewal-one-year',
      'driving-licence-renewal-three-years', 'certificate-of-good-conduct',
      'business-name-registration', 'civil-marriage']) {
      assert.ok(demoFormFor(slug) !== undefined, slug);
    }
    assert.equal(demoFormFor('constructor'), undefined);
    assert.equal(demoFormFor('no-such-service'), undefined);
    assert.equal(demoFormFor('civil-marriage')?.secondParty?.idNumberField, 'partnerIdNumber');
  });

  it('rejects a form that is not an object, or has no pages', () => {
    for (const broken of [null, 3, 'form', [], { version: 1, pages: [] }, { pages: [{}] }]) {
      assert.ok(problemsOf(broken).length > 0, JSON.stringify(broken));
    }
  });

  it('rejects an id used twice, on the same page or on another', () => {
    const def = clone(demoForms['certificate-of-good-conduct'] as FormDefinition);
    const page = def.pages[1];
    assert.ok(page !== undefined);
    page.fields.push({ ...(def.pages[0]?.fields[0] as FormField) });
    assert.match(problemsOf(def).join('\n'), /id idNumber is used twice/);
  });

  it('rejects showWhen naming an unknown field, a later field, or comparing wrongly', () => {
    const def = clone(demoForms['certificate-of-good-conduct'] as FormDefinition);
    const fields = def.pages[0]?.fields ?? [];
    fields[2] = { ...fields[2] as FormField, showWhen: { field: 'nothing', equals: 'x' } };
    assert.match(problemsOf(def).join('\n'), /showWhen names nothing/);
    fields[0] = { ...fields[0] as FormField, showWhen: { field: 'purpose', equals: 'other' } };
    assert.match(problemsOf(def).join('\n'), /showWhen names purpose/);
    const passport = clone(demoForms['ordinary-passport-34-pages'] as FormDefinition);
    const previous = passport.pages[2]?.fields ?? [];
    previous[1] = { ...previous[1] as FormField,
      showWhen: { field: 'hadPassport', equals: 'yes' } };
    assert.match(problemsOf(passport).join('\n'), /cannot have/);
  });

  it('rejects a group without fields, a group in a group, and a file without limits', () => {
    const label = { en: 'Label', sw: 'Lebo' };
    const page = (fields: unknown[]) => ({ version: 1, pages: [{ id: 'one',
      title: label, fields }] });
    assert.match(problemsOf(page([{ id: 'items', kind: 'group', label, required: true,
      maxItems: 2 }])).join(), /a group needs fields/);
    assert.match(problemsOf(page([{ id: 'items', kind: 'group', label, required: true,
      maxItems: 2, fields: [{ id: 'inner', kind: 'group', label, required: true, maxItems: 1,
        fields: [{ id: 'x', kind: 'text', label, required: true }] }] }])).join(),
    /cannot hold another group/);
    assert.match(problemsOf(page([{ id: 'scan', kind: 'file', label, required: true }])).join(),
      /a file needs accept/);
    assert.match(problemsOf(page([{ id: 'a', kind: 'choice', label, required: true,
      options: [] }])).join(), /1 to 50 options/);
    assert.match(problemsOf(page([{ id: 'born', kind: 'text', label, required: true,
      dates: 'past' }])).join(), /dates must be "past" or "future", on a date field/);
    assert.match(problemsOf(page([{ id: 'constructor', kind: 'text', label,
      required: true }])).join(), /reserved/);
    assert.match(problemsOf(page([{ id: 'name', kind: 'text', label: { en: 'Name' },
      required: true }])).join(), /English and Swahili/);
  });

  it('rejects secondParty and holderNameField naming the wrong kind of field', () => {
    const def = clone(demoForms['civil-marriage'] as FormDefinition);
    assert.match(problemsOf({ ...def, secondParty: { idNumberField: 'partnerName' } }).join(),
      /secondParty.idNumberField must name a id-number field/);
    assert.match(problemsOf({ ...def, holderNameField: 'nothing' }).join(),
      /holderNameField must name a text field/);
  });

  it('rejects any demo form with one field id copied over another (property)', () => {
    fc.assert(fc.property(
      fc.constantFrom(...uniqueForms), fc.nat(), fc.nat(),
      (form, first, second) => {
        const def = clone(form);
        const all = def.pages.flatMap((page, pageIndex) =>
          page.fields.map((_field, fieldIndex) => [pageIndex, fieldIndex] as const));
        fc.pre(all.length >= 2);
        const from = all[first % all.length] ?? [0, 0];
        let toIndex = second % all.length;
        if (toIndex === first % all.length) toIndex = (toIndex + 1) % all.length;
        const to = all[toIndex] ?? [0, 0];
        const source = def.pages[from[0]]?.fields[from[1]] as FormField;
        const target = def.pages[to[0]]?.fields[to[1]] as FormField;
        (def.pages[to[0]] as { fields: FormField[] }).fields[to[1]] = { ...target, id: source.id };
        assert.ok(problemsOf(def).length > 0);
      },
    ), { numRuns: 200 });
  });

  it('rejects any demo form where a field shows when an unknown field answers (property)', () => {
    fc.assert(fc.property(
      fc.constantFrom(...uniqueForms), fc.nat(), fc.stringMatching(/^[a-z][A-Za-z0-9]{0,12}$/),
      fc.oneof(fc.string(), fc.boolean()),
      (form, pick, unknown, equals) => {
        const def = clone(form);
        const known = new Set(def.pages.flatMap((page) => page.fields.flatMap((field) =>
          [field.id, ...(field.fields ?? []).map((inner) => inner.id)])));
        fc.pre(!known.has(unknown));
        const all = def.pages.flatMap((page) => page.fields);
        const target = all[pick % all.length] as FormField & { showWhen?: unknown };
        target.showWhen = { field: unknown, equals };
        assert.match(problemsOf(def).join('\n'), new RegExp(`showWhen names ${unknown}`));
      },
    ), { numRuns: 200 });
  });

  it('rejects any demo form with a group emptied of its fields (property)', () => {
    const withGroups = uniqueForms.filter((form) =>
      form.pages.some((page) => page.fields.some((field) => field.kind === 'group')));
    fc.assert(fc.property(
      fc.constantFrom(...withGroups), fc.constantFrom(undefined, [], {}, 'fields'),
      (form, emptied) => {
        const def = clone(form);
        const group = def.pages.flatMap((page) => page.fields)
          .find((field) => field.kind === 'group') as { fields?: unknown };
        group.fields = emptied;
        assert.match(problemsOf(def).join('\n'), /a group needs fields/);
      },
    ), { numRuns: 50 });
  });
});
