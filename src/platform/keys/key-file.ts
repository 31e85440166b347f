/**
 * Development keys kept in the data folder: made once, read at every later start, shared by
 * every process on the machine. Production keys come from the environment instead.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The text of the key file, made with `make()` (owner-only, 0600) when there is none. Two
 * processes starting together agree: the first to write keeps its key, the other reads it.
 */
export async function readOrMakeKeyFile(file: string, make: () => string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, make(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFile(file, 'utf8');
}
