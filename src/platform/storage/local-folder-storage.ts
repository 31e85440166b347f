/**
 * Files in a local folder. Each file is written to a temporary name, flushed, then renamed
 * over its key, so a reader sees the old file or the new one, never half of one. The content
 * type is the file's first line, so bytes and type change together in that one rename.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  assertValidContentType,
  assertValidFileKey,
  type FileStorage,
  type StoredFile,
} from './file-storage.ts';

const newline = 0x0a;
const temporarySuffix = '.tmp';

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** The file's path for key, checked to be inside root (keys are checked too: belt and braces). */
export function pathInside(root: string, key: string): string {
  assertValidFileKey(key);
  const target = path.resolve(root, ...key.split('/'));
  const relative = path.relative(root, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`file storage key ${JSON.stringify(key)} leaves its folder`);
  }
  return target;
}

async function writeAtomically(target: string, parts: readonly Uint8Array[]): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}${temporarySuffix}`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    for (const part of parts) await handle.write(part);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function localFolderStorage(directory: string): FileStorage {
  const root = path.resolve(directory);
  return {
    async put(key, bytes, contentType) {
      assertValidContentType(contentType);
      const target = pathInside(root, key);
      await writeAtomically(target, [Buffer.from(`${contentType}\n`, 'latin1'), bytes]);
    },
    async get(key): Promise<StoredFile | undefined> {
      const target = pathInside(root, key);
      let content: Buffer;
      try {
        content = await readFile(target);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      const end = content.indexOf(newline);
      if (end < 0) throw new Error(`stored file ${key} has no content type line`);
      return {
        contentType: content.subarray(0, end).toString('latin1'),
        bytes: new Uint8Array(content.subarray(end + 1)),
      };
    },
    async delete(key) {
      await rm(pathInside(root, key), { force: true });
    },
  };
}
