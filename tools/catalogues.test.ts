/**
 * The error catalogue in docs/errors.md and the code agree; every message exists in English
 * and Swahili.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { joinErrorTables, platformErrors } from '#platform/errors/index.ts';
import { webMessages } from '#web/index.ts';
import { modules } from '../src/modules.ts';

describe('catalogues of codes and copy', () => {
  it('docs/errors.md lists exactly the error codes the code declares, with their status', () => {
    const table = joinErrorTables([platformErrors, ...modules.map((m) => m.errors)]);
    const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Map([...docs.matchAll(/^\| `([A-Z0-9_]+)` \| (\d{3}) \|/gm)]
      .map((match) => [match[1] ?? '', Number(match[2])]));
    const declared = new Map(Object.entries(table).map(([code, d]) => [code, d.status]));
    assert.deepEqual(
      [...documented.entries()].sort(), [...declared.entries()].sort(),
      'docs/errors.md and the error tables differ',
    );
  });

  it('every message has English and Swahili text', () => {
    for (const bundle of [webMessages, ...modules.map((m) => m.messages)]) {
      assert.deepEqual(Object.keys(bundle.sw).sort(), Object.keys(bundle.en).sort());
      for (const language of ['en', 'sw'] as const) {
        for (const [key, text] of Object.entries(bundle[language])) {
          assert.ok(text.trim() !== '', `${language} message ${key} is empty`);
        }
      }
    }
  });

  it('every module name is unique', () => {
    const names = modules.map((m) => m.name);
    assert.deepEqual([...new Set(names)], names);
  });
});
