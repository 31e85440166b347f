/**
 * The client for a real population register over HTTP (JSON). Every call has a timeout and is
 * retried a bounded number of times with backoff when the register is down or slow (network
 * error, timeout, 429, 5xx); a 4xx other than 429 is our bug and is not retried.
 *
 * Contract (the adapter a national register gateway implements):
 *   POST {base}/people/verify {documentType, documentNumber, firstName, birthYear}
 *        -> 200 {match: true, person: RegisterPerson} | {match: false}
 *   GET  {base}/people/{documentType}/{documentNumber}/dependants -> 200 {people: [...]}
 *   GET  {base}/people/{documentType}/{documentNumber}/businesses -> 200 {businesses: [...]}
 * Request and response bodies hold personal data: they are never logged.
 */
import { err, ok, type Result } from '#platform/errors/index.ts';
import type {
  DocumentReference,
  PopulationRegister,
  RegisterBusiness,
  RegisterPerson,
  RegisterUnavailable,
} from './population-register.ts';

export type HttpRegisterOptions = Readonly<{
  baseUrl: string;
  /** Per attempt. */
  timeoutMs?: number;
  attemptsMax?: number;
  /** The first retry waits this long; each next one twice as long. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}>;

export const registerTimeoutMsDefault = 3_000;
export const registerAttemptsMaxDefault = 3;
const retryDelayMsDefault = 200;
const responseBytesMax = 256 * 1024;

class Retryable extends Error {}

export function httpPopulationRegister(options: HttpRegisterOptions): PopulationRegister {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? registerTimeoutMsDefault;
  const attemptsMax = options.attemptsMax ?? registerAttemptsMaxDefault;
  const retryDelayMs = options.retryDelayMs ?? retryDelayMsDefault;
  const fetchImplementation = options.fetch ?? fetch;

  const once = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetchImplementation(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((error: unknown) => {
      throw new Retryable(error instanceof Error ? error.name : 'network error');
    });
    if (response.status === 429 || response.status >= 500) {
      throw new Retryable(`register answered ${response.status}`);
    }
    if (response.status !== 200) throw new Error(`register answered ${response.status}`);
    const text = await response.text();
    if (text.length > responseBytesMax) throw new Error('register answer is too large');
    return JSON.parse(text) as unknown;
  };

  const call = async (path: string, body?: unknown): Promise<Result<unknown, 'unavailable'>> => {
    for (let attempt = 1; attempt <= attemptsMax; attempt += 1) {
      try {
        return ok(await once(path, body));
      } catch (error) {
        if (!(error instanceof Retryable) || attempt === attemptsMax) return err('unavailable');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
    return err('unavailable');
  };

  const pathOf = (reference: DocumentReference, what: string) =>
    `/people/${encodeURIComponent(reference.documentType)}/` +
    `${encodeURIComponent(reference.documentNumber)}/${what}`;

  return {
    verifyPerson: async (claim) => {
      const answer = await call('/people/verify', claim);
      if (!answer.ok) return answer;
      const body = answer.value as { match?: unknown; person?: unknown };
      if (body.match !== true) return err('mismatch');
      return isPerson(body.person) ? ok(body.person) : err('unavailable');
    },
    findDependants: async (guardian) =>
      listOf(await call(pathOf(guardian, 'dependants')), 'people', isPerson),
    findBusinessesDirectedBy: async (director) =>
      listOf(await call(pathOf(director, 'businesses')), 'businesses', isBusiness),
  };
}

function listOf<T>(
  answer: Result<unknown, 'unavailable'>,
  field: string,
  isItem: (value: unknown) => value is T,
): Result<readonly T[], RegisterUnavailable> {
  if (!answer.ok) return answer;
  const items = (answer.value as Record<string, unknown>)[field];
  if (!Array.isArray(items) || !items.every(isItem)) return err('unavailable');
  return ok(items);
}

const documentTypes = new Set(['national_id', 'alien_id', 'passport', 'birth_certificate']);

function isPerson(value: unknown): value is RegisterPerson {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return documentTypes.has(String(candidate.documentType)) &&
    typeof candidate.documentNumber === 'string' && typeof candidate.firstName === 'string' &&
    (candidate.middleName === null || typeof candidate.middleName === 'string') &&
    typeof candidate.lastName === 'string' && typeof candidate.birthDate === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(candidate.birthDate);
}

function isBusiness(value: unknown): value is RegisterBusiness {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.registrationNumber === 'string' && typeof candidate.name === 'string';
}
