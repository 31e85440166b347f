import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorAnchor, parseErrorCatalogue, readErrorCatalogue } from './error-catalogue.ts';

describe('the error catalogue', () => {
  it('parses the code table of docs/errors.md and nothing else', () => {
    const entries = parseErrorCatalogue([
      '| code | status | meaning |',
      '| --- | --- | --- |',
      '| `PAY_X` | 409 | Already paid; see `detail`. |',
      'Some prose with | pipes | in it.',
      '| `LEDGER_Y` | 422 | Unbalanced. |',
    ].join('\n'));
    assert.deepEqual(entries, [
      { code: 'PAY_X', status: 409, meaning: 'Already paid; see `detail`.' },
      { code: 'LEDGER_Y', status: 422, meaning: 'Unbalanced.' },
    ]);
  });

  it('reads the real file, which lists the platform codes', () => {
    const codes = readErrorCatalogue().map((entry) => entry.code);
    assert.ok(codes.includes('PLATFORM_NOT_FOUND'));
    assert.ok(codes.includes('PLATFORM_VALIDATION_FAILED'));
  });

  it('anchors match the problem type URIs (lower case code)', () => {
    assert.equal(errorAnchor('PLATFORM_NOT_FOUND'), 'platform_not_found');
  });
});
