/**
 * The load-shedding hook on a small app: while the event loop runs late under arrivals, a
 * share of each class is refused at once (503, Retry-After, the handler never runs) and
 * requests in no class are all served; once the loop is on time again, all are admitted. The
 * loop's lateness is fed to the controller by hand, so nothing here depends on timing; the
 * HTTP server's open connections are counted for it (inject opens none, so the flood's
 * connections are opened by hand there too).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { platformErrors } from '../errors/index.ts';
import { MetricsRegistry } from '../metrics/index.ts';
import type { AdmissionController } from './admission.ts';
import { installErrorHandling } from './error-handling.ts';
import { installLoadShedding } from './load-shedding.ts';

type TestClass = 'busy';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('load shedding hook', () => {
  let app: FastifyInstance;
  let controller: AdmissionController<TestClass>;
  const ran = { busy: 0, exempt: 0 };
  before(async () => {
    app = Fastify();
    installErrorHandling(app, platformErrors, () => '<p>busy</p>');
    controller = installLoadShedding<TestClass>(app, {
      limits: { busy: { inFlightMax: 1_000 } },
      eventLoopDelayMsMax: 50, eventLoopUtilisationMax: 0.9, lateTicksToCut: 2,
      arrivalsPerTickMin: 4, connectionsFloor: 16, admitShareMin: 0.125,
      retryAfterSeconds: 3,
      // The real timer never fires during the test: ticks are fed by hand.
      tickMs: 3_600_000,
      metrics: new MetricsRegistry(),
      classify: (request) => request.url === '/exempt' ? undefined : 'busy',
    });
    app.get('/busy', async () => {
      ran.busy += 1;
      return { ok: true };
    });
    app.get('/exempt', async () => {
      ran.exempt += 1;
      return { ok: true };
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  const statuses = async (url: string, count: number) => {
    const answers: number[] = [];
    for (let index = 0; index < count; index += 1) {
      answers.push((await app.inject({ method: 'GET', url })).statusCode);
    }
    return answers;
  };

  const lateTick = { lateMs: 500, utilisation: 1, windowMs: 520 };
  const onTimeTick = { lateMs: 0, utilisation: 0.1, windowMs: 20 };

  it('counts the server\'s open connections for the controller', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () => new Promise<number>((resolve, reject) => {
      http.get({ agent, host: '127.0.0.1', port, path: '/busy' }, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      }).once('error', reject);
    });
    assert.equal(controller.state().connections, 0);
    assert.equal(await get(), 200);
    assert.equal(await get(), 200);
    assert.equal(controller.state().connections, 1, 'one kept-alive connection');
    agent.destroy();
    await until(() => controller.state().connections === 0);
  });

  it('with a few clients, a late loop refuses nothing', async () => {
    for (let round = 0; round < 5; round += 1) {
      await statuses('/busy', 8);
      controller.observeTick(lateTick);
    }
    assert.equal(controller.state().admitShare, 1);
  });

  it('refuses a share while the loop is late, serves exempt routes, and recovers', async () => {
    for (let index = 0; index < 100; index += 1) controller.connectionOpened();
    await statuses('/busy', 8);
    controller.observeTick(lateTick);
    await statuses('/busy', 8);
    controller.observeTick(lateTick);
    assert.equal(controller.state().admitShare, 0.5);

    const before = ran.busy;
    const late = await statuses('/busy', 40);
    assert.equal(late.filter((status) => status === 200).length, 20);
    assert.equal(late.filter((status) => status === 503).length, 20);
    assert.equal(ran.busy - before, 20, 'a refused request runs no handler');
    const refused = await app.inject({ method: 'GET', url: '/busy' });
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.headers['retry-after'], '3');
    assert.equal(refused.json<{ code: string }>().code, 'PLATFORM_OVERLOADED');
    assert.deepEqual([...new Set(await statuses('/exempt', 20))], [200]);

    for (let tick = 0; tick < 30; tick += 1) controller.observeTick(onTimeTick);
    assert.deepEqual([...new Set(await statuses('/busy', 20))], [200]);
    assert.deepEqual(controller.state().inFlight, { busy: 0 }, 'every admission released');
  });
});
