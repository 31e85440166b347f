/**
 * A small S3-compatible server for tests: PutObject, GetObject and DeleteObject on path-style
 * URLs (http://host/bucket/key), kept in memory. It refuses a request without a SigV4
 * Authorization header (403), as S3 would, and answers an unknown key with S3's NoSuchKey.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type S3TestObject = Readonly<{ body: Buffer; contentType: string }>;

export type S3TestServer = Readonly<{
  endpoint: string;
  objects: Map<string, S3TestObject>;
  /** Every request seen, as "METHOD /bucket/key" and its Authorization header. */
  requests: { line: string; authorization: string | undefined }[];
  close: () => Promise<void>;
}>;

const sigV4Pattern = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/s3\/aws4_request, *SignedHeaders=[a-z0-9;-]+, *Signature=[0-9a-f]{64}$/;

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${message}</Message></Error>`;
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(errorXml(code, message));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(
  bucket: string, objects: Map<string, S3TestObject>,
  request: IncomingMessage, response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const [, bucketName = '', ...keyParts] = url.pathname.split('/');
  const key = keyParts.map((part) => decodeURIComponent(part)).join('/');
  if (bucketName !== bucket) return sendError(response, 404, 'NoSuchBucket', 'no such bucket');
  if (key === '') return sendError(response, 400, 'InvalidRequest', 'key required');
  if (request.method === 'PUT') {
    const body = await readBody(request);
    objects.set(key, {
      body, contentType: request.headers['content-type'] ?? 'binary/octet-stream',
    });
    response.writeHead(200, { etag: '"test"' });
    return void response.end();
  }
  if (request.method === 'GET') {
    const found = objects.get(key);
    if (found === undefined) return sendError(response, 404, 'NoSuchKey', 'no such key');
    response.writeHead(200, {
      'content-type': found.contentType, 'content-length': found.body.length,
    });
    return void response.end(found.body);
  }
  if (request.method === 'DELETE') {
    objects.delete(key);
    response.writeHead(204);
    return void response.end();
  }
  sendError(response, 405, 'MethodNotAllowed', 'method not allowed');
}

export async function startS3TestServer(bucket: string): Promise<S3TestServer> {
  const objects = new Map<string, S3TestObject>();
  const requests: { line: string; authorization: string | undefined }[] = [];
  const server = createServer((request, response) => {
    const authorization = request.headers.authorization;
    requests.push({ line: `${request.method ?? ''} ${request.url ?? ''}`, authorization });
    if (authorization === undefined || !sigV4Pattern.test(authorization)) {
      request.resume();
      sendError(response, 403, 'AccessDenied', 'a SigV4 Authorization header is required');
      return;
    }
    handle(bucket, objects, request, response).catch(() => {
      if (!response.headersSent) sendError(response, 500, 'InternalError', 'test server failed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
