/**
 * Static assets are read once at start and served with a content hash in their URL, so a
 * browser on a slow network fetches each one once and caches it for a year.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type Asset = Readonly<{ path: string; body: Buffer; contentType: string }>;

function loadAsset(fileName: string, contentType: string): Asset {
  const body = readFileSync(new URL(`./assets/${fileName}`, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [stem, extension] = fileName.split('.');
  return { path: `/assets/${stem ?? fileName}.${hash}.${extension ?? ''}`, body, contentType };
}

export const stylesheet: Asset = loadAsset('site.css', 'text/css; charset=utf-8');

/** The site's icon; /favicon.ico answers with it too, for browsers that ask there. */
export const favicon: Asset = loadAsset('favicon.svg', 'image/svg+xml');

export const assets: readonly Asset[] = [stylesheet, favicon];
