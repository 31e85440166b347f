/**
 * The shape of the code, checked on every test run:
 * - the dependency direction of DESIGN.md (platform <- web <- modules <- app);
 * - modules reach each other only through index.ts, and only where the table below allows;
 * - no import cycles, between modules or between files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const sourceRoot = path.join(root, 'src');

/** Which modules each module may import (through their index.ts). Keep in step with DESIGN. */
const allowedModuleDependencies: Readonly<Record<string, readonly string[]>> = {
  catalogue: ['authorisation'],
  'api-docs': [],
  audit: ['authorisation'],
  notifications: [],
  authorisation: [],
  identity: ['authorisation', 'audit', 'notifications', 'catalogue'],
  'daraja-emulator': [],
  ledger: [],
  payments: ['ledger', 'audit', 'catalogue', 'notifications', 'identity', 'authorisation',
    'documents'],
  documents: ['authorisation', 'audit', 'identity', 'notifications'],
  // applications issues and reads invoices through payments' index (docs/decisions/0006);
  // payments never imports applications: it tells it of money by payment.allocated.
  applications: ['catalogue', 'identity', 'audit', 'authorisation', 'notifications', 'payments',
    'documents'],
  site: ['documents', 'identity'],
  // Money after collection uses payments and the ledger through their index.ts (DESIGN).
  reconciliation: ['payments', 'ledger', 'audit', 'authorisation', 'identity', 'notifications'],
  settlement: ['payments', 'ledger', 'audit', 'authorisation', 'catalogue', 'identity',
    'notifications'],
  // Agency systems reach invoices, payments and settlement through those modules' index.ts.
  // Onboarding checks a service's application form with applications' parseFormDefinition.
  agencies: ['payments', 'settlement', 'audit', 'authorisation', 'identity', 'catalogue',
    'notifications', 'applications'],
  // Reporting reads, never writes (DESIGN): its own derived tables, the others through index.ts.
  // The public scorecard comes from agencies' complianceScorecard (its index.ts).
  reporting: ['ledger', 'payments', 'settlement', 'catalogue', 'authorisation', 'identity',
    'agencies'],
  // Ways in besides the web (docs/decisions/0011): each channel is its own module and uses
  // payments, applications and identity through their index.ts; no channel imports another.
  'card-emulator': [],
  'channel-cards': ['payments', 'ledger', 'audit', 'authorisation', 'identity', 'catalogue',
    'notifications'],
  'channel-ussd': ['payments', 'applications', 'documents', 'identity', 'catalogue',
    'notifications', 'audit', 'authorisation'],
  'channel-assisted': ['payments', 'applications', 'identity', 'catalogue', 'notifications',
    'audit', 'authorisation', 'documents'],
  'channel-pesaflow': ['payments', 'agencies', 'catalogue', 'audit', 'authorisation',
    'identity', 'notifications'],
  // The OpenID Provider: a maintained library speaks the protocol; accounts come from identity.
  federation: ['identity', 'agencies', 'audit', 'authorisation', 'catalogue'],
};

type Layer = 'config' | 'platform' | 'web' | 'module' | 'app' | 'cli';
type SourceFile = Readonly<{ file: string; imports: readonly string[] }>;

function listSources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const aliases: Readonly<Record<string, string>> = {
  '#platform/': 'src/platform/', '#modules/': 'src/modules/', '#web/': 'src/web/',
  '#config': 'src/config.ts',
};

function resolveImport(from: string, specifier: string): string | undefined {
  for (const [alias, target] of Object.entries(aliases)) {
    if (specifier.startsWith(alias)) {
      return path.join(root, target + specifier.slice(alias.length));
    }
  }
  if (specifier.startsWith('.')) return path.resolve(path.dirname(from), specifier);
  return undefined;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'([^']+)'/g;

function readSources(): SourceFile[] {
  return listSources(sourceRoot).map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(importPattern)]
      .map((match) => resolveImport(file, match[1] ?? ''))
      .filter((target): target is string => target !== undefined);
    return { file, imports };
  });
}

function layerOf(file: string): { layer: Layer; module?: string } {
  const relative = path.relative(sourceRoot, file).split(path.sep);
  const [top, second] = relative;
  // config.ts and the parts it reads through (config-mpesa.ts, config-readers.ts, ...).
  if (top !== undefined && /^config(-[a-z]+)?(\.test)?\.ts$/.test(top)) {
    return { layer: 'config' };
  }
  if (top === 'platform') return { layer: 'platform' };
  if (top === 'web') return { layer: 'web' };
  if (top === 'cli') return { layer: 'cli' };
  if (top === 'modules' && second !== undefined) return { layer: 'module', module: second };
  return { layer: 'app' };
}

const sources = readSources();
const relative = (file: string) => path.relative(root, file);

describe('code shape', () => {
  it('platform and config import nothing above them; web imports no module', () => {
    const wrong: string[] = [];
    for (const { file, imports } of sources) {
      const from = layerOf(file).layer;
      for (const target of imports) {
        const to = layerOf(target).layer;
        const allowed = from === 'config' ? ['config'] :
          from === 'platform' ? ['platform', 'config'] :
          from === 'web' ? ['web', 'platform', 'config'] : undefined;
        if (allowed !== undefined && !allowed.includes(to)) {
          wrong.push(`${relative(file)} -> ${relative(target)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('modules import other modules only through index.ts, where DESIGN allows', () => {
    const wrong: string[] = [];
    for (const { file, imports } of sources) {
      const from = layerOf(file);
      if (from.layer !== 'module' || from.module === undefined) continue;
      const allowed = allowedModuleDependencies[from.module];
      if (allowed === undefined) {
        wrong.push(`module ${from.module} is missing from allowedModuleDependencies`);
        continue;
      }
      for (const target of imports) {
        const to = layerOf(target);
        if (to.layer === 'app' || to.layer === 'cli') wrong.push(`${relative(file)} -> app`);
        if (to.layer !== 'module' || to.module === from.module || to.module === undefined) continue;
        if (path.basename(target) !== 'index.ts' ||
          path.dirname(target) !== path.join(sourceRoot, 'modules', to.module)) {
          wrong.push(`${relative(file)} reaches inside ${to.module}: ${relative(target)}`);
        } else if (!allowed.includes(to.module)) {
          wrong.push(`${from.module} may not depend on ${to.module}`);
        }
      }
    }
    assert.deepEqual([...new Set(wrong)], []);
  });

  it('has no import cycles between files', () => {
    const graph = new Map(sources.map((source) => [source.file, source.imports]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      const seen = state.get(file);
      if (seen === 'done') return;
      if (seen === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(relative).join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('resolves every relative and aliased import to a file that exists', () => {
    const known = new Set(listSources(sourceRoot));
    const missing = sources.flatMap(({ file, imports }) => imports
      .filter((target) => target.endsWith('.ts') && !known.has(target))
      .map((target) => `${relative(file)} -> ${relative(target)}`));
    assert.deepEqual(missing, []);
  });
});
