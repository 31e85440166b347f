import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { findServiceBySlug, hasImportedCatalogue, listMinistries } from '../catalogue-service.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import { importCatalogue, type ImportReport } from './import-service.ts';

/** A small dataset in the eCitizen shape, with the faults the importer must survive. */
const fixture = {
  'ministries.csv': [
    'ministry_id,ministry_name,ministry_description,reported_agency_count,ministry_url',
    'm1,Ministry Of Health,"Health, in all its forms",3,https://health.go.ke/',
    'm2,Ministry Of Roads,,1,not a url',
    ',Nameless Ministry,,0,', // line 4: no id
  ].join('\n'),
  'departments.csv': [
    'department_id,ministry_id,department_name,observed_agency_count,ministry_departments_url',
    'd1,m1,State Department For Health,2,https://ecitizen.go.ke/d1',
    'd2,m9,State Department For Nowhere,0,', // line 3: unknown ministry
  ].join('\n'),
  'agencies.csv': [
    'agency_id,agency_name_hash,ministry_id,department_id,agency_name,agency_description,' +
      'logo_url,agency_url,observed_service_count',
    'a1,h1,m1,d1,Pharmacy And Poisons Board,"Regulates medicines.\nAnd ""poisons"".",,' +
      'https://ppb.go.ke/,2',
    'a2,h2,m2,,Roads Board,,,,1',
    'a1,h1,m1,d1,Pharmacy Board Again,,,,0', // line 5: duplicate id
  ].join('\n'),
  'services.csv': [
    'service_id,agency_id,department_id,ministry_id,service_name,service_url,' +
      'service_description,requirements',
    's1,a1,d1,m1,Pharmacy Licence,https://ppb.ecitizen.go.ke/,"Licence to run a pharmacy,' +
      ' retail or wholesale","1. Premises plan\n2. Pharmacist registration"',
    's2,a1,d1,m1,Pharmacy Licence,https://ppb.go.ke/,,',
    's3,a9,d1,m1,Orphan Service,,,', // line 5: unknown agency
    's4,a2,,m2,Road Permit', // line 6: too few fields
    's5,a2,,m2,Road Reserve Use,,,"Site plan; Letter"',
  ].join('\n'),
};

async function writeDataset(
  files: Readonly<Record<string, string>>,
): Promise<{ folder: string; dispose: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'huduma-import-'));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(folder, name), content);
  }
  return { folder, dispose: () => rm(folder, { recursive: true, force: true }) };
}

const countsOf = (report: ImportReport) => Object.fromEntries(Object.entries(report.tables)
  .map(([table, c]) => [table, [c.inserted, c.updated, c.unchanged, c.skipped]]));

describeOnDatabases('eCitizen import', (database) => {
  const deps = () => ({ db: database().db });
  const folders: Array<() => Promise<void>> = [];
  let good = '';
  before(async () => {
    const dataset = await writeDataset(fixture);
    folders.push(dataset.dispose);
    good = dataset.folder;
  });
  after(async () => {
    for (const dispose of folders) await dispose();
  });

  it('writes nothing when a file is malformed, missing or lacks a column', async () => {
    const broken = await writeDataset({ ...fixture,
      'services.csv': `${fixture['services.csv']}\ns6,a1,d1,m1,"Broken"quote,,,` });
    const headless = await writeDataset({ ...fixture, 'agencies.csv': 'agency_id\nx\n' });
    const incomplete = await writeDataset({ 'ministries.csv': fixture['ministries.csv'] });
    folders.push(broken.dispose, headless.dispose, incomplete.dispose);
    const failed = await importCatalogue(deps(), broken.folder);
    assert.ok(!failed.ok);
    assert.equal(failed.error.code, 'CATALOGUE_IMPORT_FILE_MALFORMED');
    assert.match(failed.error.detail ?? '', /^services\.csv:8: /);
    const noColumn = await importCatalogue(deps(), headless.folder);
    assert.ok(!noColumn.ok);
    assert.match(noColumn.error.detail ?? '', /agencies\.csv:1: .*ministry_id/);
    const missing = await importCatalogue(deps(), incomplete.folder);
    assert.equal(!missing.ok && missing.error.code, 'CATALOGUE_IMPORT_FILE_UNREADABLE');
    // The ministries and departments read before each failure were rolled back.
    assert.equal(await hasImportedCatalogue(deps()), false);
  });

  it('imports good rows and reports every bad row by file and line', async () => {
    let lastProgress = [0, 0];
    const result = await importCatalogue(deps(), good, {
      onProgress: (read, total) => {
        lastProgress = [read, total];
      },
    });
    assert.ok(result.ok);
    assert.deepEqual(countsOf(result.value), {
      ministry: [2, 0, 0, 1], department: [1, 0, 0, 1], agency: [2, 0, 0, 1],
      service: [3, 0, 0, 2],
    });
    assert.deepEqual(result.value.problems.map((p) => `${p.file}:${p.line} ${p.reason}`), [
      'ministries.csv:4 ministry_id is empty',
      'departments.csv:3 unknown ministry_id m9',
      'agencies.csv:5 duplicate id a1 (first on line 2)',
      'services.csv:5 unknown agency_id a9',
      'services.csv:6 has 5 fields where the header has 8',
    ]);
    assert.equal(result.value.problemCount, 5);
    assert.equal(lastProgress[0], lastProgress[1]);
    assert.equal(await hasImportedCatalogue(deps()), true);
  });

  it('keeps quoted commas and newlines, splits requirements, and derives status', async () => {
    const licence = await findServiceBySlug(deps(), 'pharmacy-licence');
    assert.ok(licence !== undefined);
    assert.equal(licence.descriptionEn, 'Licence to run a pharmacy, retail or wholesale');
    assert.deepEqual(licence.requirementsEn, ['Premises plan', 'Pharmacist registration']);
    assert.equal(licence.onboardingStatus, 'live');
    assert.equal(licence.origin, 'ecitizen');
    assert.equal(licence.department?.nameEn, 'State Department For Health');
    // The second service of the same name gets a suffix from its source id.
    const twin = await findServiceBySlug(deps(), 'pharmacy-licence-s2');
    assert.equal(twin?.onboardingStatus, 'not_started');
    const road = await findServiceBySlug(deps(), 'road-reserve-use');
    assert.deepEqual(road?.requirementsEn, ['Site plan', 'Letter']);
    assert.equal(road?.department, null);
    const db = database().db.withTables<CatalogueTables>();
    const agency = await db.selectFrom('agency').select(['description_en'])
      .where('source_id', '=', 'a1').executeTakeFirstOrThrow();
    assert.equal(agency.description_en, 'Regulates medicines.\nAnd "poisons".');
    const roads = await db.selectFrom('ministry').select(['url'])
      .where('source_id', '=', 'm2').executeTakeFirstOrThrow();
    assert.equal(roads.url, null);
  });

  it('re-imports without duplicating, updating only what changed', async () => {
    const again = await importCatalogue(deps(), good);
    assert.ok(again.ok);
    assert.deepEqual(countsOf(again.value), {
      ministry: [0, 0, 2, 1], department: [0, 0, 1, 1], agency: [0, 0, 2, 1],
      service: [0, 0, 3, 2],
    });
    const before = await findServiceBySlug(deps(), 'pharmacy-licence');
    const renamed = await writeDataset({ ...fixture,
      'services.csv': fixture['services.csv'].replace('s1,a1,d1,m1,Pharmacy Licence,',
        's1,a1,d1,m1,Retail Pharmacy Licence,') });
    folders.push(renamed.dispose);
    const changed = await importCatalogue(deps(), renamed.folder);
    assert.ok(changed.ok);
    assert.deepEqual(countsOf(changed.value)['service'], [0, 1, 2, 2]);
    // Same row, same address: a renamed service keeps its id and slug.
    const after = await findServiceBySlug(deps(), 'pharmacy-licence');
    assert.equal(after?.id, before?.id);
    assert.equal(after?.nameEn, 'Retail Pharmacy Licence');
    const ministries = await listMinistries(deps());
    assert.deepEqual(ministries.map((m) => [m.slug, m.agencyCount, m.serviceCount]),
      [['ministry-of-health', 1, 2], ['ministry-of-roads', 1, 1]]);
  });
});
