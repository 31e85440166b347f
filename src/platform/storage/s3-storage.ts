/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2...) through the AWS SDK. Only
 * the checksums the API requires are sent, as many S3 look-alikes refuse the newer ones.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  assertValidContentType,
  assertValidFileKey,
  type FileStorage,
  type StoredFile,
} from './file-storage.ts';

export type S3StorageOptions = Readonly<{
  endpoint: string;
  region: string;
  bucket: string;
  /** Unset: the SDK's default credential chain. */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  forcePathStyle: boolean;
  /** Time limit of one request to the bucket. */
  requestTimeoutMs?: number;
}>;

const requestTimeoutMsDefault = 30_000;
const connectionTimeoutMs = 5_000;
const attemptsMax = 3;

function isNotFound(error: unknown): boolean {
  if (error instanceof NoSuchKey) return true;
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
}

export function s3Client(options: S3StorageOptions): S3Client {
  const credentials = options.accessKeyId === undefined || options.secretAccessKey === undefined
    ? undefined
    : { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    maxAttempts: attemptsMax,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? requestTimeoutMsDefault,
      connectionTimeout: connectionTimeoutMs,
    },
    ...(credentials === undefined ? {} : { credentials }),
  });
}

export function s3Storage(options: S3StorageOptions): FileStorage {
  const client = s3Client(options);
  const Bucket = options.bucket;
  return {
    async put(key, bytes, contentType) {
      assertValidFileKey(key);
      assertValidContentType(contentType);
      await client.send(new PutObjectCommand({
        Bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength,
      }));
    },
    async get(key): Promise<StoredFile | undefined> {
      assertValidFileKey(key);
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (answer.Body === undefined) return undefined;
        const bytes = await answer.Body.transformToByteArray();
        return { bytes, contentType: answer.ContentType ?? 'application/octet-stream' };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      assertValidFileKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}
