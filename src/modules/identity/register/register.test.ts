import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '#config';
import { createLogger } from '#platform/logging/index.ts';
import {
  demoPeople,
  httpPopulationRegister,
  registerFor,
  sameName,
  syntheticPeople,
  syntheticRegister,
  type PersonClaim,
} from './index.ts';

const citizenClaim: PersonClaim = {
  documentType: 'national_id', documentNumber: '12345678', firstName: 'Amina', birthYear: 1990,
};

describe('synthetic population register', () => {
  const register = syntheticRegister();

  it('matches ID number, first name and year of birth, forgiving case and accents', async () => {
    const result = await register.verifyPerson({ ...citizenClaim, firstName: '  AMÍNA ' });
    assert.ok(result.ok);
    assert.equal(result.value.lastName, 'Otieno');
  });

  it('refuses a wrong name, year, number or document type with the same answer', async () => {
    for (const claim of [
      { ...citizenClaim, firstName: 'Amani' },
      { ...citizenClaim, birthYear: 1991 },
      { ...citizenClaim, documentNumber: '12345679' },
      { ...citizenClaim, documentType: 'passport' as const },
    ]) {
      assert.deepEqual(await register.verifyPerson(claim), { ok: false, error: 'mismatch' });
    }
  });

  it('is the same population on every run, with unique documents', () => {
    const people = syntheticPeople();
    assert.ok(people.length > 2_000);
    const keys = people.map((p) => `${p.documentType}:${p.documentNumber}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(people[0], demoPeople.citizen);
    // A fixed seed: generating again gives the very same people.
    assert.deepEqual(syntheticPeople({ fresh: true }), people);
  });

  it('knows the demo citizen\'s child and business', async () => {
    const children = await register.findDependants(demoPeople.citizen);
    assert.ok(children.ok);
    assert.deepEqual(children.value.map((c) => c.documentNumber), ['500100200']);
    const businesses = await register.findBusinessesDirectedBy(demoPeople.citizen);
    assert.ok(businesses.ok);
    assert.deepEqual(businesses.value, [demoPeople.business]);
    const none = await register.findDependants(demoPeople.visitor);
    assert.deepEqual(none, { ok: true, value: [] });
  });

  it('every generated person can be verified with their own details', async () => {
    for (const person of syntheticPeople().slice(0, 300)) {
      if (person.documentType === 'birth_certificate') continue;
      const result = await register.verifyPerson({
        documentType: person.documentType, documentNumber: person.documentNumber,
        firstName: person.firstName, birthYear: Number(person.birthDate.slice(0, 4)),
      });
      assert.ok(result.ok, person.documentNumber);
    }
  });

  it('compares names without case, accents or extra spaces only', () => {
    assert.ok(sameName('Zawádi  Njeri', 'zawadi njeri'));
    assert.ok(!sameName('Zawadi', 'Zawadia'));
  });
});

describe('HTTP population register client', () => {
  const backing = syntheticRegister();
  let server: Server;
  let baseUrl = '';
  let failNext = 0;
  let hangNext = 0;
  let requests = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    requests += 1;
    if (hangNext > 0) {
      hangNext -= 1;
      return; // never answers: the client's timeout must fire
    }
    if (failNext > 0) {
      failNext -= 1;
      response.writeHead(503).end();
      return;
    }
    const send = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'POST' && request.url === '/people/verify') {
      let text = '';
      for await (const chunk of request) text += String(chunk);
      const result = await backing.verifyPerson(JSON.parse(text) as PersonClaim);
      return send(result.ok ? { match: true, person: result.value } : { match: false });
    }
    const match = /^\/people\/([a-z_]+)\/([^/]+)\/(dependants|businesses)$/.exec(request.url ?? '');
    if (match === null) {
      response.writeHead(400).end();
      return;
    }
    const reference = {
      documentType: match[1] as 'national_id', documentNumber: decodeURIComponent(match[2] ?? ''),
    };
    if (match[3] === 'dependants') {
      const found = await backing.findDependants(reference);
      return send({ people: found.ok ? found.value : [] });
    }
    const found = await backing.findBusinessesDirectedBy(reference);
    return send({ businesses: found.ok ? found.value : [] });
  };

  before(async () => {
    server = createServer((request, response) => void handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () => httpPopulationRegister({ baseUrl, timeoutMs: 300, retryDelayMs: 10 });

  it('verifies, lists dependants and businesses over HTTP', async () => {
    const verified = await client().verifyPerson(citizenClaim);
    assert.deepEqual(verified, { ok: true, value: demoPeople.citizen });
    const mismatch = await client().verifyPerson({ ...citizenClaim, birthYear: 2000 });
    assert.deepEqual(mismatch, { ok: false, error: 'mismatch' });
    const children = await client().findDependants(demoPeople.citizen);
    assert.deepEqual(children, { ok: true, value: [demoPeople.child] });
    const businesses = await client().findBusinessesDirectedBy(demoPeople.citizen);
    assert.deepEqual(businesses, { ok: true, value: [demoPeople.business] });
  });

  it('retries a failing register and succeeds within the attempt limit', async () => {
    failNext = 2;
    requests = 0;
    const verified = await client().verifyPerson(citizenClaim);
    assert.ok(verified.ok);
    assert.equal(requests, 3);
  });

  it('gives up after the attempt limit: unavailable, not a mismatch', async () => {
    failNext = 3;
    requests = 0;
    assert.deepEqual(await client().verifyPerson(citizenClaim),
      { ok: false, error: 'unavailable' });
    assert.equal(requests, 3);
    failNext = 0;
  });

  it('times out a register that does not answer, then retries', async () => {
    hangNext = 1;
    requests = 0;
    const startedAt = Date.now();
    const verified = await client().verifyPerson(citizenClaim);
    assert.ok(verified.ok);
    assert.equal(requests, 2);
    assert.ok(Date.now() - startedAt >= 290);
  });

  it('reports an unreachable register as unavailable', async () => {
    const unreachable = httpPopulationRegister({
      baseUrl: 'http://127.0.0.1:9', timeoutMs: 200, attemptsMax: 2, retryDelayMs: 5,
    });
    assert.deepEqual(await unreachable.findDependants(demoPeople.citizen),
      { ok: false, error: 'unavailable' });
  });

  it('does not retry a 400 (our bug), and treats a malformed answer as unavailable', async () => {
    requests = 0;
    const wrongBase = httpPopulationRegister({ baseUrl: `${baseUrl}nothing`, retryDelayMs: 5 });
    assert.deepEqual(await wrongBase.findDependants(demoPeople.citizen),
      { ok: false, error: 'unavailable' });
    assert.equal(requests, 1);
  });
});

describe('choosing the register', () => {
  const logger = createLogger({ level: 'silent' });
  it('uses the synthetic register unless a URL is configured, and none in production', async () => {
    const development = registerFor({ config: loadConfig({}), logger });
    assert.ok((await development.verifyPerson(citizenClaim)).ok);
    const production = registerFor({
      config: loadConfig({ HUDUMA_ENV: 'production', HUDUMA_SIGNING_KEY: '' }), logger,
    });
    assert.deepEqual(await production.verifyPerson(citizenClaim),
      { ok: false, error: 'unavailable' });
    const remote = registerFor({
      config: loadConfig({ HUDUMA_POPULATION_REGISTER_URL: 'http://127.0.0.1:9/' }), logger,
    });
    // Not the synthetic register: it asks the (here unreachable) configured one.
    assert.deepEqual(await remote.verifyPerson(citizenClaim), { ok: false, error: 'unavailable' });
    assert.throws(() => loadConfig({ HUDUMA_POPULATION_REGISTER_URL: 'ftp://x' }),
      /HUDUMA_POPULATION_REGISTER_URL must be an http/);
  });
});
