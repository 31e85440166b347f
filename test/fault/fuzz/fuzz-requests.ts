/**
 * Requests for the route fuzz, generated (fast-check) from every route the app declares: its
 * method and path, and the fields its JSON schemas name (query, path, form or JSON body), each
 * filled with values chosen to hurt (numbers that are not finite, NUL and control characters,
 * lone surrogates, markup, SQL, very long text), plus fields no schema names. Values shaped
 * like personal data (ID numbers, phones, e-mail addresses) are among them on purpose: the run
 * then scans its log for those shapes. Callers are anonymous or signed in, with the right,
 * a wrong or no CSRF token.
 */
import fc from 'fast-check';

export type FuzzRoute = Readonly<{
  method: string;
  url: string;
  schema: Readonly<Record<string, unknown>> | undefined;
}>;

/** A caller the fuzz may act as: the headers of a session and its CSRF token, or nobody. */
export type FuzzCaller = Readonly<{ name: string; cookie?: string; csrfToken?: string }>;

export type FuzzRequest = Readonly<{
  method: string;
  /** The route pattern, for reports (never the filled-in URL, which may be long). */
  route: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  payload: string | undefined;
  caller: string;
}>;

/** Text that has broken servers: edges of numbers, encodings, markup, paths, SQL. */
const hostileTexts = [
  '', ' ', '0', '-1', '1', '2', '20', '100', '1000', '1e309', '-1e309', 'Infinity',
  '-Infinity', 'NaN', '9007199254740993', '1.5', '0x10', '-0', 'null', 'true', '[]', '{}',
  '\u0000', 'a\u0000b', '%00', '%', '%zz', '%E0%A4%A', '\r\n', '\t', '\u0007', '\u001b[31m',
  '\u00ff', '\u0100', 'ü', 'Ünïcödé', '😀', '\ud800', '\udfff', 'a\u202eb', '\ufeff',
  '../../etc/passwd', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  '\' or 1=1--', '"; drop table account; --', '${7*7}', '{{7*7}}', '__proto__',
  'constructor', 'x'.repeat(300), 'é'.repeat(2_000), 'a b c',
];

/** Personal-data shapes: if any reaches the log, the scan finds it there. */
export const personalTexts = [
  '31415926', '27182818', '+254712345678', '0712345678', '254712345678',
  'wanjiku@example.org', 'C0300598', '987654321', '1984-02-29',
];

function textArbitrary(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...hostileTexts), weight: 4 },
    { arbitrary: fc.constantFrom(...personalTexts), weight: 2 },
    { arbitrary: fc.constantFrom(...known), weight: known.length === 0 ? 0 : 3 },
    // A value a route accepts with a NUL inside: past the checks, on its way to the database.
    { arbitrary: fc.constantFrom(...known, ...personalTexts).map((value) => `${value}\u0000`),
      weight: 1 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
    { arbitrary: fc.integer().map(String), weight: 1 },
    { arbitrary: fc.double().map(String), weight: 1 },
  );
}

/** A JSON value for bodies: text, numbers (JSON's 1e309 parses to Infinity), nesting. */
function jsonArbitrary(text: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: text, weight: 6 },
    { arbitrary: fc.constantFrom(0, -1, 1, 1e308, -0, 2 ** 53 + 1, 0.5), weight: 2 },
    { arbitrary: fc.constantFrom(null, true, false), weight: 1 },
    { arbitrary: fc.array(text, { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.dictionary(text, text, { maxKeys: 3 }), weight: 1 },
  );
}

function propertiesOf(schema: unknown): readonly string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const properties = (schema as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** Field names: those the schema names (most of the time) and some no schema knows. */
function fieldsArbitrary(named: readonly string[]): fc.Arbitrary<readonly string[]> {
  const extra = fc.constantFrom('_csrf', 'page', 'pageSize', 'q', 'lang', 'return', 'x',
    '__proto__', 'a\u0000', '');
  return fc.tuple(fc.subarray([...named], { minLength: Math.min(named.length, 1) }),
    fc.array(extra, { maxLength: 2 })).map(([some, more]) => [...some, ...more]);
}

/** The path with each `:param` and `*` filled, percent-encoded or raw. */
function pathArbitrary(url: string, text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const slots = url.split(/(:[A-Za-z0-9_]+|\*)/);
  const parts = slots.map((slot) => slot.startsWith(':') || slot === '*'
    ? fc.tuple(text, fc.boolean()).map(([value, raw]) =>
      raw ? value.replace(/[/?#\s]/g, '') : encodeURIComponent(value.toWellFormed()))
    : fc.constant(slot));
  return fc.tuple(...parts).map((filled) => filled.join(''));
}

function queryArbitrary(named: readonly string[], text: fc.Arbitrary<string>) {
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 2 },
    { arbitrary: fc.constantFrom('?%', '?&&==&', '?a[b]=1&a[c]=2', '?q=%00', '?page=1e309'),
      weight: 1 },
    { arbitrary: fieldsArbitrary(named).chain((fields) =>
      fc.tuple(...fields.map((name) => fc.array(text, { minLength: 1, maxLength: 2 })
        .map((values) => values.map((value) => [name, value]))))
        .map((pairs) => `?${new URLSearchParams(pairs.flat()).toString()}`)), weight: 6 },
  );
}

type Body = Readonly<{ contentType: string | undefined; payload: string | undefined }>;

function bodyArbitrary(
  named: readonly string[], text: fc.Arbitrary<string>, csrf: fc.Arbitrary<string | undefined>,
): fc.Arbitrary<Body> {
  const fields = fieldsArbitrary(named).chain((names) =>
    fc.tuple(...names.map((name) => jsonArbitrary(text).map((value) => [name, value] as const))));
  const form = fc.tuple(fields, csrf).map(([pairs, token]): Body => {
    const entries = pairs.map(([name, value]) =>
      [name, typeof value === 'string' ? value : JSON.stringify(value) ?? ''] as [string, string]);
    if (token !== undefined) entries.push(['_csrf', token]);
    return { contentType: 'application/x-www-form-urlencoded',
      payload: new URLSearchParams(entries).toString() };
  });
  const json = fc.tuple(fields, csrf).map(([pairs, token]): Body => ({
    contentType: 'application/json',
    payload: JSON.stringify({ ...Object.fromEntries(pairs),
      ...(token === undefined ? {} : { _csrf: token }) }).replace('1e+308', '1e309'),
  }));
  const junk = fc.constantFrom<Body>(
    { contentType: 'application/json', payload: '{"a":' },
    { contentType: 'application/json', payload: '[1,2' },
    { contentType: 'application/json', payload: '"\\u0000"' },
    { contentType: 'application/x-www-form-urlencoded', payload: '%%%&&==' },
    { contentType: 'text/plain', payload: 'hello' },
    { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\n\r\n--x--' },
    { contentType: undefined, payload: undefined },
    { contentType: 'application/x-www-form-urlencoded', payload: 'a='.repeat(30_000) },
  );
  return fc.oneof({ arbitrary: form, weight: 5 }, { arbitrary: json, weight: 3 },
    { arbitrary: junk, weight: 1 });
}

function headersArbitrary(caller: fc.Arbitrary<FuzzCaller>) {
  return fc.record({
    caller,
    accept: fc.constantFrom('text/html', 'application/json', '*/*', undefined,
      'text/html;q=0.1, application/json'),
    language: fc.constantFrom('en', 'sw', 'fr', 'sw-KE,sw;q=0.9', undefined, '\u00ff'),
    authorization: fc.constantFrom(undefined, undefined, undefined, 'Bearer x', 'Basic ::'),
    badCookie: fc.constantFrom(undefined, undefined, 'huduma_session=%00', 'a=%zz'),
  });
}

/** Every request for one route: path, query, headers, body, as one caller. */
export function requestArbitrary(
  route: FuzzRoute,
  callers: readonly FuzzCaller[],
  known: readonly string[],
): fc.Arbitrary<FuzzRequest> {
  const text = textArbitrary(known);
  const schema = route.schema ?? {};
  const caller = fc.constantFrom(...callers);
  const withBody = !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(route.method);
  return fc.record({
    path: pathArbitrary(route.url, text),
    query: queryArbitrary(propertiesOf(schema.querystring), text),
    headers: headersArbitrary(caller),
    csrfChoice: fc.constantFrom('right', 'right', 'right', 'wrong', 'none'),
  }).chain((parts) => {
    const token = parts.csrfChoice === 'right' ? parts.headers.caller.csrfToken
      : parts.csrfChoice === 'wrong' ? 'forged-token' : undefined;
    const body = withBody
      ? bodyArbitrary(propertiesOf(schema.body), text, fc.constant(token))
      : fc.constant<Body>({ contentType: undefined, payload: undefined });
    return body.map((chosen) => assemble(route, parts, chosen));
  });
}

type Parts = Readonly<{
  path: string;
  query: string;
  headers: Readonly<{ caller: FuzzCaller; accept: string | undefined;
    language: string | undefined; authorization: string | undefined;
    badCookie: string | undefined }>;
}>;

function assemble(route: FuzzRoute, parts: Parts, body: Body): FuzzRequest {
  const { caller } = parts.headers;
  const cookies = [caller.cookie, parts.headers.badCookie].filter((c) => c !== undefined);
  const headers: Record<string, string> = {};
  if (parts.headers.accept !== undefined) headers.accept = parts.headers.accept;
  if (parts.headers.language !== undefined) {
    headers['accept-language'] = parts.headers.language;
  }
  if (parts.headers.authorization !== undefined) {
    headers.authorization = parts.headers.authorization;
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  if (body.contentType !== undefined) headers['content-type'] = body.contentType;
  return { method: route.method, route: route.url, url: `${parts.path}${parts.query}`,
    headers, payload: body.payload, caller: caller.name };
}
