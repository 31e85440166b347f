/**
 * Imports the real eCitizen dataset (kept beside the repository, never inside it) and checks
 * its published size: 27 ministries, 54 departments, 286 agencies, 5,489 services.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { reportSkip } from '#test/helpers/skips.ts';
import { importCatalogue } from './import-service.ts';

const repositoryRoot = new URL('../../../../', import.meta.url);
const datasetFolder = fileURLToPath(new URL('../shared/data/ecitizen-catalogue/', repositoryRoot));
const datasetPresent = existsSync(datasetFolder);
if (!datasetPresent) {
  reportSkip(`the eCitizen dataset is not at ${datasetFolder}; its import test did not run`);
}

describeOnDatabases('importing the real eCitizen dataset', (database) => {
  it('imports every row, and a second run changes nothing', { skip: !datasetPresent }, async () => {
    const deps = { db: database().db };
    const first = await importCatalogue(deps, datasetFolder);
    assert.ok(first.ok, first.ok ? '' : first.error.detail);
    const inserted = Object.values(first.value.tables).map((counts) => counts.inserted);
    assert.deepEqual(inserted, [27, 54, 286, 5_489]);
    assert.equal(first.value.problemCount, 0);
    const second = await importCatalogue(deps, datasetFolder);
    assert.ok(second.ok);
    const unchanged = Object.values(second.value.tables)
      .map((counts) => [counts.inserted, counts.updated, counts.unchanged]);
    assert.deepEqual(unchanged, [[0, 0, 27], [0, 0, 54], [0, 0, 286], [0, 0, 5_489]]);
  });
});
