/**
 * Reading a form POST, urlencoded or multipart/form-data. Multipart bodies are parsed when the
 * body is read (a content-type parser), before any hook runs, so the CSRF field is checked the
 * same way for both; files are then checked against their field (size, and type by their
 * bytes, not the type the browser claims) and stored under random keys.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { uuidv7 } from '#platform/ids/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { FileStorage } from '#platform/storage/index.ts';
import { readPage, slotPositions } from './form-answers.ts';
import { bytesText, fileTypesText } from './form-checks.ts';
import { findPage } from './form-logic.ts';
import {
  formLimits,
  type Answers,
  type FieldError,
  type FormDefinition,
  type FormField,
  type PostedFile,
  type PostedForm,
} from './form-types.ts';

/** A whole multipart body at most: the largest file a form takes, and room for the rest. */
export const multipartBodyBytesMax = formLimits.fileBytesMax + 2 * 1024 * 1024;
const multipartPartsMax = 500;
/** The text fields of a multipart body together: as much as an urlencoded body may carry. */
export const multipartTextBytesMax = 256 * 1024;
const fileNameLengthMax = 120;

/** A file as posted, before it is checked. */
export type UploadedFile = Readonly<{
  field: string; name: string; declaredType: string; bytes: Uint8Array;
}>;

/** Where a parsed multipart body keeps its files: a symbol, so field walkers never see them. */
const uploadsKey = Symbol('uploads');
type MultipartBody = Record<string, string | string[]> & { [uploadsKey]?: UploadedFile[] };

function addField(body: MultipartBody, name: string, value: string): void {
  const before = body[name];
  if (before === undefined) body[name] = value;
  else if (Array.isArray(before)) before.push(value);
  else body[name] = [before, value];
}

/** A client's mistake: statusCode too, for a scope with an error handler of its own. */
function badRequest(detail: string): ProblemError {
  return Object.assign(new ProblemError({ code: 'PLATFORM_VALIDATION_FAILED', detail }),
    { statusCode: 400 });
}

/** Parses a buffered multipart/form-data body with the platform's own FormData parser. */
export async function parseMultipart(contentType: string, bytes: Buffer): Promise<MultipartBody> {
  let form: FormData;
  try {
    // A view, not a copy: the body can be megabytes. Fastify's buffers are never shared.
    const view = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    form = await new Response(view, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw badRequest('body: the multipart form could not be read');
  }
  const body: MultipartBody = Object.create(null) as MultipartBody;
  const uploads: UploadedFile[] = [];
  let parts = 0;
  let textBytes = 0;
  for (const [name, value] of form) {
    parts += 1;
    if (parts > multipartPartsMax) {
      throw badRequest(`body: a form has at most ${multipartPartsMax} parts`);
    }
    if (typeof value === 'string') {
      textBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (textBytes > multipartTextBytesMax) {
        throw badRequest(`body: a form's text fields hold at most ${multipartTextBytesMax} bytes`);
      }
      addField(body, name, value);
    }
    else {
      uploads.push({ field: name, name: value.name, declaredType: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()) });
    }
  }
  body[uploadsKey] = uploads;
  return body;
}

/** Registers the multipart parser (with its size limit) for the routes of `app`. */
export function registerMultipart(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('multipart/form-data',
    { parseAs: 'buffer', bodyLimit: multipartBodyBytesMax },
    async (request: FastifyRequest, body: Buffer) =>
      parseMultipart(request.headers['content-type'] ?? '', body));
  return Promise.resolve();
}

const signatures: readonly Readonly<{ type: string; bytes: readonly number[] }>[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

/** The type a file's first bytes show (PNG, JPEG or PDF), whatever its name or claimed type. */
export function detectFileType(bytes: Uint8Array): string | undefined {
  return signatures.find((signature) =>
    signature.bytes.every((byte, index) => bytes[index] === byte))?.type;
}

/** A file name fit to show: its last path part, printable, not too long. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters (and the C1 range) never belong in a name shown on a page.
  const printable = base.replaceAll(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  const short = [...printable].slice(-fileNameLengthMax).join('');
  return short === '' ? 'file' : short;
}

/** The paths of a page's file fields: "photo", and "items.0.scan" for each slot of a group. */
function filePaths(def: FormDefinition, pageId: string): Map<string, FormField> {
  const paths = new Map<string, FormField>();
  for (const field of findPage(def, pageId)?.fields ?? []) {
    if (field.kind === 'file') paths.set(field.id, field);
    if (field.kind !== 'group') continue;
    const slots = Math.min(field.maxItems ?? 1, formLimits.groupItemsMax);
    for (let index = 0; index < slots; index += 1) {
      for (const inner of field.fields ?? []) {
        if (inner.kind === 'file') paths.set(`${field.id}.${String(index)}.${inner.id}`, inner);
      }
    }
  }
  return paths;
}

function rejection(field: FormField, upload: UploadedFile, fileName: string):
Omit<FieldError, 'field'> | undefined {
  if (upload.bytes.byteLength === 0) return { messageKey: 'forms.error.fileEmpty' };
  const maxBytes = Math.min(field.maxBytes ?? formLimits.fileBytesMax, formLimits.fileBytesMax);
  if (upload.bytes.byteLength > maxBytes) {
    return { messageKey: 'forms.error.fileTooLarge', params: { max: bytesText(maxBytes) } };
  }
  const detected = detectFileType(upload.bytes);
  if (detected === undefined || !(field.accept ?? []).includes(detected)) {
    return { messageKey: 'forms.error.fileType',
      params: { types: fileTypesText(field), name: fileName } };
  }
  return undefined;
}

function postedFields(body: unknown): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const [name, value] of Object.entries(body)) {
    if (name === '__proto__') continue;
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) {
      fields[name] = value.filter((item): item is string => typeof item === 'string');
    }
  }
  return fields;
}

/**
 * Reads a form POST for one page: its fields, and its files checked and stored. A rejected
 * file becomes a FieldError, never a failure of the request; files posted for fields not on
 * this page are ignored, unstored.
 */
export async function readFormPost(request: FastifyRequest, def: FormDefinition, pageId: string,
  storage: FileStorage): Promise<{ posted: PostedForm; errors: FieldError[] }> {
  const body = request.body as MultipartBody | undefined;
  const uploads = typeof body === 'object' && body !== null ? body[uploadsKey] ?? [] : [];
  const paths = filePaths(def, pageId);
  const files: PostedFile[] = [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const upload of uploads) {
    const { field: path, name } = upload;
    const field = paths.get(path);
    if (field === undefined || seen.has(path)) continue;
    seen.add(path);
    if (name === '' && upload.bytes.byteLength === 0) continue;
    const fileName = cleanFileName(name);
    const rejected = rejection(field, upload, fileName);
    if (rejected !== undefined) {
      errors.push({ field: path, ...rejected });
      continue;
    }
    const type = detectFileType(upload.bytes) ?? 'application/octet-stream';
    const fileId = uuidv7();
    await storage.put(fileId, upload.bytes, type);
    files.push({ field: path, stored: { fileId, name: fileName, type,
      size: upload.bytes.byteLength } });
  }
  return { posted: { fields: postedFields(body), files }, errors };
}

/**
 * readFormPost then readPage: the page's answers merged over previous, and its errors, a
 * rejected upload's error in place of the field's own (the earlier file, if any, is kept),
 * at the item the upload's slot became once blank slots closed up.
 */
export async function readPostedPage(request: FastifyRequest, def: FormDefinition,
  pageId: string, storage: FileStorage, previous: Answers):
  Promise<{ answers: Answers; errors: FieldError[] }> {
  const { posted, errors: uploadErrors } = await readFormPost(request, def, pageId, storage);
  const { answers, errors } = readPage(def, pageId, posted, previous);
  const positions = slotPositions(def, pageId, posted, previous);
  const fileErrors = uploadErrors.map((error) => {
    const [group = '', slot = '', inner] = error.field.split('.');
    const position = positions.get(group)?.[Number(slot)];
    return inner === undefined || position === undefined ? error
      : { ...error, field: `${group}.${String(position)}.${inner}` };
  });
  const rejected = new Set(fileErrors.map((error) => error.field));
  return { answers, errors: [...fileErrors, ...errors.filter((e) => !rejected.has(e.field))] };
}
