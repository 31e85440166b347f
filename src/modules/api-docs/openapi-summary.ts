/**
 * Reads an OpenAPI 3 document into what the /docs page shows: operations grouped by tag, each
 * with its method, path, summary, parameters and response codes. Pure; no I/O.
 */

export type ApiParameter = Readonly<{
  name: string;
  location: string;
  required: boolean;
  type: string | undefined;
  description: string | undefined;
}>;

export type ApiResponse = Readonly<{ status: string; description: string | undefined }>;

export type ApiOperation = Readonly<{
  /** A stable, URL-safe id for an anchor on the page. */
  anchor: string;
  method: string;
  path: string;
  summary: string | undefined;
  description: string | undefined;
  deprecated: boolean;
  parameters: readonly ApiParameter[];
  requestContentTypes: readonly string[];
  responses: readonly ApiResponse[];
}>;

export type ApiOperationGroup = Readonly<{
  tag: string;
  description: string | undefined;
  operations: readonly ApiOperation[];
}>;

export type ApiSummary = Readonly<{
  title: string;
  version: string;
  description: string | undefined;
  groups: readonly ApiOperationGroup[];
}>;

/** Operations without a tag are listed last, under this name. */
export const untaggedGroupName = 'other';

const methodOrder = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];

/** fastify-swagger's placeholder when a route gives no description: says nothing, so hidden. */
const placeholderDescription = 'Default Response';

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function readParameter(value: unknown): ApiParameter | undefined {
  if (!isObject(value)) return undefined;
  const name = text(value['name']);
  if (name === undefined) return undefined;
  const schema = isObject(value['schema']) ? value['schema'] : {};
  const type = text(schema['type']) ?? (Array.isArray(schema['enum']) ? 'enum' : undefined);
  return {
    name,
    location: text(value['in']) ?? 'query',
    required: value['required'] === true,
    type,
    description: text(value['description']) ?? text(schema['description']),
  };
}

function readResponses(value: unknown): ApiResponse[] {
  if (!isObject(value)) return [];
  return Object.entries(value)
    .map(([status, response]) => {
      const description = isObject(response) ? text(response['description']) : undefined;
      return {
        status,
        description: description === placeholderDescription ? undefined : description,
      };
    })
    .sort((left, right) => left.status.localeCompare(right.status));
}

function anchorFor(method: string, path: string): string {
  const slug = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `operation-${method}-${slug === '' ? 'root' : slug}`;
}

function readOperation(method: string, path: string, value: Json): ApiOperation {
  const parameters = Array.isArray(value['parameters']) ? value['parameters'] : [];
  const body = isObject(value['requestBody']) ? value['requestBody'] : {};
  const content = isObject(body['content']) ? Object.keys(body['content']) : [];
  return {
    anchor: anchorFor(method, path),
    method: method.toUpperCase(),
    path,
    summary: text(value['summary']),
    description: text(value['description']),
    deprecated: value['deprecated'] === true,
    parameters: parameters.map(readParameter)
      .filter((parameter) => parameter !== undefined),
    requestContentTypes: content,
    responses: readResponses(value['responses']),
  };
}

function tagsOf(operation: Json): string[] {
  const tags = Array.isArray(operation['tags']) ? operation['tags'] : [];
  const named = tags.map(text).filter((tag) => tag !== undefined);
  return named.length > 0 ? named : [untaggedGroupName];
}

/** Tags declared in the document keep its order; others follow by name; untagged come last. */
function orderTags(declared: readonly string[], used: readonly string[]): string[] {
  const undeclared = used.filter((tag) => !declared.includes(tag) && tag !== untaggedGroupName)
    .sort((left, right) => left.localeCompare(right));
  const ordered = [...declared.filter((tag) => used.includes(tag)), ...undeclared];
  return used.includes(untaggedGroupName) ? [...ordered, untaggedGroupName] : ordered;
}

function compareOperations(left: ApiOperation, right: ApiOperation): number {
  if (left.path !== right.path) return left.path.localeCompare(right.path);
  return methodOrder.indexOf(left.method.toLowerCase()) -
    methodOrder.indexOf(right.method.toLowerCase());
}

export function summariseOpenApi(document: unknown): ApiSummary {
  const root = isObject(document) ? document : {};
  const info = isObject(root['info']) ? root['info'] : {};
  const paths = isObject(root['paths']) ? root['paths'] : {};
  const byTag = new Map<string, ApiOperation[]>();
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of methodOrder) {
      const value = item[method];
      if (!isObject(value)) continue;
      const operation = readOperation(method, path, value);
      for (const tag of tagsOf(value)) byTag.set(tag, [...(byTag.get(tag) ?? []), operation]);
    }
  }
  const tagObjects = Array.isArray(root['tags']) ? root['tags'].filter(isObject) : [];
  const declared = tagObjects.map((tag) => text(tag['name'])).filter((n) => n !== undefined);
  const descriptions = new Map(tagObjects.map((tag) => [tag['name'], text(tag['description'])]));
  return {
    title: text(info['title']) ?? 'API',
    version: text(info['version']) ?? '',
    description: text(info['description']),
    groups: orderTags(declared, [...byTag.keys()]).map((tag) => ({
      tag,
      description: descriptions.get(tag),
      operations: [...(byTag.get(tag) ?? [])].sort(compareOperations),
    })),
  };
}
