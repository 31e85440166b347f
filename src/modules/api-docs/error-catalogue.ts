/**
 * The error catalogue as people read it: docs/errors.md, whose table a test keeps equal to the
 * codes the code declares (tools/catalogues.test.ts). Problem responses point their `type` at
 * /docs/errors#<code>, so the page renders each row with that anchor.
 */
import { readFileSync } from 'node:fs';

export type ErrorCatalogueEntry = Readonly<{
  code: string;
  status: number;
  /** Markdown-lite: `backticks` mark code. */
  meaning: string;
}>;

const rowPattern = /^\| `([A-Z0-9_]+)` \| (\d{3}) \| (.*) \|\s*$/gm;

export function parseErrorCatalogue(markdown: string): ErrorCatalogueEntry[] {
  return [...markdown.matchAll(rowPattern)].map((match) => ({
    code: match[1] ?? '',
    status: Number(match[2]),
    meaning: (match[3] ?? '').trim(),
  }));
}

/** The anchor a problem's `type` URI uses for a code (see platform/http/problem.ts). */
export function errorAnchor(code: string): string {
  return code.toLowerCase();
}

export const errorCatalogueFile = new URL('../../../docs/errors.md', import.meta.url);

export function readErrorCatalogue(file: URL = errorCatalogueFile): ErrorCatalogueEntry[] {
  return parseErrorCatalogue(readFileSync(file, 'utf8'));
}
