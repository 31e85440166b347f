import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CsvFileError, readCsvRecords } from './csv-records.ts';
import {
  checkRecord,
  httpUrl,
  onboardingStatusFor,
  slugCandidates,
  slugify,
  splitRequirements,
} from './import-rows.ts';

describe('import rules', () => {
  it('makes short, stable, ASCII slugs', () => {
    assert.equal(slugify('Ministry Of Roads & Transport'), 'ministry-of-roads-transport');
    assert.equal(slugify('  Café — Ùmoja (2024) '), 'cafe-umoja-2024');
    assert.equal(slugify('!!!'), '');
    const long = slugify('word '.repeat(40));
    assert.ok(long.length <= 80 && !long.endsWith('-'));
    assert.deepEqual(slugCandidates('service', '***', 'ABCDEF123456'),
      ['service', 'service-abcdef', 'service-abcdef123456']);
  });

  it('splits requirements by line, or by ; and bullets on one line, dropping numbering', () => {
    assert.deepEqual(splitRequirements('1. ID card\n2) Photo\n\n- KRA PIN\n'),
      ['ID card', 'Photo', 'KRA PIN']);
    assert.deepEqual(splitRequirements('ID card; Photo • PIN'), ['ID card', 'Photo', 'PIN']);
    assert.deepEqual(splitRequirements('   '), []);
  });

  it('calls a service live only when it is paid through an eCitizen address', () => {
    assert.equal(onboardingStatusFor('https://immigration.ecitizen.go.ke/x'), 'live');
    assert.equal(onboardingStatusFor('https://ecitizen.go.ke/'), 'live');
    assert.equal(onboardingStatusFor('https://ecitizen.go.ke.example.com/'), 'not_started');
    assert.equal(onboardingStatusFor('https://adc.go.ke/shop'), 'not_started');
    assert.equal(onboardingStatusFor(null), 'not_started');
    assert.equal(httpUrl('javascript:alert(1)'), null);
    assert.equal(httpUrl('not a url'), null);
  });

  it('checks ids, names and parents of a record', () => {
    const fields = { service_id: 'abc123', agency_id: 'ag1', service_name: ' Seed\n Sales ',
      service_url: 'https://adc.go.ke/shop', service_description: '', requirements: 'A\nB' };
    const checked = checkRecord('service', fields);
    assert.ok(checked.ok);
    assert.deepEqual([checked.row.name, checked.row.parents.agency, checked.row.description],
      ['Seed Sales', 'ag1', null]);
    assert.deepEqual(checked.row.requirements, ['A', 'B']);
    const reasons = [
      checkRecord('service', { ...fields, service_id: '' }),
      checkRecord('service', { ...fields, service_id: 'has space' }),
      checkRecord('service', { ...fields, service_name: '  ' }),
      checkRecord('service', { ...fields, agency_id: '' }),
    ].map((check) => check.ok ? 'ok' : check.reason);
    assert.deepEqual(reasons, ['service_id is empty', 'service_id is malformed',
      'service_name is empty', 'agency_id is empty']);
    const agency = checkRecord('agency',
      { agency_id: 'a', ministry_id: 'm', department_id: '', agency_name: 'X' });
    assert.ok(agency.ok && agency.row.parents.department === undefined);
  });
});

describe('CSV records', () => {
  async function records(content: string, columns: readonly string[] = ['id']) {
    const folder = await mkdtemp(path.join(tmpdir(), 'huduma-csv-'));
    try {
      const file = path.join(folder, 'f.csv');
      await writeFile(file, content);
      const found = [];
      for await (const record of readCsvRecords(file, columns)) found.push(record);
      return found;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  it('gives each record the line it starts on, past quoted newlines and blank lines', async () => {
    const found = await records('\uFEFFid,name\n1,"a\nb"\n\n2,"c, ""d"""\n3\n4,e');
    assert.deepEqual(found.map((r) => [r.line, r.fields['id'], r.fields['name'], r.problem]), [
      [2, '1', 'a\nb', undefined],
      [5, '2', 'c, "d"', undefined],
      [6, '3', '', 'has 1 fields where the header has 2'],
      [7, '4', 'e', undefined],
    ]);
  });

  it('refuses a header without a required column, and broken quoting, with a line', async () => {
    await assert.rejects(records('name\nx\n'),
      (error: unknown) => error instanceof CsvFileError && error.line === 1);
    await assert.rejects(records('id,name\n1,ok\n2,"bad"x\n'),
      (error: unknown) => error instanceof CsvFileError && error.line === 3);
    await assert.rejects(records(''), CsvFileError);
  });
});
