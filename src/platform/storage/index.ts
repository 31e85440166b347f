/**
 * File storage for uploads: FileStorage, a local folder (default), an S3-compatible bucket,
 * and the adapter the configuration asks for.
 */
import type { Config } from '#config';
import type { FileStorage } from './file-storage.ts';
import { localFolderStorage } from './local-folder-storage.ts';
import { s3Storage } from './s3-storage.ts';

export {
  isValidFileKey,
  memoryStorage,
  newFileKey,
  type FileStorage,
  type StoredFile,
} from './file-storage.ts';
export { localFolderStorage } from './local-folder-storage.ts';
export { s3Storage, type S3StorageOptions } from './s3-storage.ts';

/** The storage the configuration names: its S3 bucket when set, else its files folder. */
export function storageFor(config: Pick<Config, 'storage'>): FileStorage {
  const { s3, filesDirectory } = config.storage;
  if (s3 !== undefined) return s3Storage(s3);
  return localFolderStorage(filesDirectory);
}
