/**
 * Where uploaded files live, behind one small interface: a local folder by default, an
 * S3-compatible bucket by configuration. Keys are made by the platform (newFileKey), never
 * from user input; an adapter still refuses a key that could leave its folder or bucket.
 */
import { uuidv7 } from '#platform/ids/index.ts';

export type StoredFile = Readonly<{ bytes: Uint8Array; contentType: string }>;

export interface FileStorage {
  /** Stores the bytes under key, replacing what was there; all or nothing. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes and type stored under key, or undefined when there are none. */
  get(key: string): Promise<StoredFile | undefined>;
  /** Removes what is stored under key; nothing stored is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys: one to four segments of letters, digits, '.', '_' and '-', never '.' or '..'. */
const keyPattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){0,3}$/;
/** A MIME type as stored beside the bytes: type/subtype, no parameters, no line breaks. */
const contentTypePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export function isValidFileKey(key: string): boolean {
  return keyPattern.test(key) && !key.split('/').some((part) => part === '.' || part === '..');
}

/** A key is made by the platform, so a bad one is a bug: this throws. */
export function assertValidFileKey(key: string): void {
  if (!isValidFileKey(key)) throw new Error(`invalid file storage key ${JSON.stringify(key)}`);
}

export function assertValidContentType(contentType: string): void {
  if (!contentTypePattern.test(contentType)) {
    throw new Error(`invalid content type ${JSON.stringify(contentType)}`);
  }
}

/** A new random key (UUIDv7), optionally under a prefix such as "uploads". */
export function newFileKey(prefix?: string): string {
  const key = prefix === undefined ? uuidv7() : `${prefix}/${uuidv7()}`;
  assertValidFileKey(key);
  return key;
}

/** Keeps files in memory: for tests and tools, never for the running platform. */
export function memoryStorage(): FileStorage {
  const files = new Map<string, StoredFile>();
  return {
    put(key, bytes, contentType) {
      assertValidFileKey(key);
      assertValidContentType(contentType);
      files.set(key, { bytes: Uint8Array.from(bytes), contentType });
      return Promise.resolve();
    },
    get(key) {
      assertValidFileKey(key);
      const found = files.get(key);
      return Promise.resolve(found === undefined ? undefined
        : { bytes: Uint8Array.from(found.bytes), contentType: found.contentType });
    },
    delete(key) {
      assertValidFileKey(key);
      files.delete(key);
      return Promise.resolve();
    },
  };
}
