/**
 * Where uploaded files are kept (HUDUMA_FILES_DIR, HUDUMA_S3_*): a local folder by default,
 * an S3-compatible bucket when both an endpoint and a bucket are set.
 */
import path from 'node:path';
import { readBoolean, readUrl, type Env } from './config-readers.ts';

export type S3StorageConfig = Readonly<{
  endpoint: string;
  region: string;
  bucket: string;
  /** Unset: the SDK's own credential chain (AWS_* variables, instance role). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** Bucket in the path (http://host/bucket/key), as MinIO and most S3 look-alikes want. */
  forcePathStyle: boolean;
}>;

export type StorageConfig = Readonly<{
  /** The local folder files are kept in when s3 is unset. */
  filesDirectory: string;
  /** The S3-compatible bucket; when set, it is used instead of the folder. */
  s3: S3StorageConfig | undefined;
}>;

/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens. */
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const regionPattern = /^[a-z0-9-]{1,40}$/;

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readStorageConfig(
  env: Env,
  dataDirectory: string,
  problems: string[],
): StorageConfig {
  const filesDirectory = blankToUndefined(env.HUDUMA_FILES_DIR) ??
    path.join(dataDirectory, 'files');
  return Object.freeze({ filesDirectory, s3: readS3Config(env, problems) });
}

function readS3Config(env: Env, problems: string[]): S3StorageConfig | undefined {
  const endpointRaw = blankToUndefined(env.HUDUMA_S3_ENDPOINT);
  const bucket = blankToUndefined(env.HUDUMA_S3_BUCKET);
  if (endpointRaw === undefined && bucket === undefined) return undefined;
  if (endpointRaw === undefined || bucket === undefined) {
    problems.push('HUDUMA_S3_ENDPOINT and HUDUMA_S3_BUCKET go together: set both to keep ' +
      'files in S3, or neither to keep them in HUDUMA_FILES_DIR');
    return undefined;
  }
  const endpoint = readUrl(env, 'HUDUMA_S3_ENDPOINT', '', problems);
  if (!bucketPattern.test(bucket)) {
    problems.push(`HUDUMA_S3_BUCKET must be a bucket name (3-63 of a-z 0-9 . -), got "${bucket}"`);
  }
  const region = blankToUndefined(env.HUDUMA_S3_REGION) ?? 'us-east-1';
  if (!regionPattern.test(region)) {
    problems.push(`HUDUMA_S3_REGION must be a region name like eu-west-1 (got "${region}")`);
  }
  const accessKeyId = blankToUndefined(env.HUDUMA_S3_ACCESS_KEY_ID);
  const secretAccessKey = blankToUndefined(env.HUDUMA_S3_SECRET_ACCESS_KEY);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    // Never echo either value: one is a secret.
    problems.push('HUDUMA_S3_ACCESS_KEY_ID and HUDUMA_S3_SECRET_ACCESS_KEY go together');
  }
  const forcePathStyle = readBoolean(env, 'HUDUMA_S3_FORCE_PATH_STYLE', true, problems);
  return Object.freeze({
    endpoint, region, bucket, accessKeyId, secretAccessKey, forcePathStyle,
  });
}
