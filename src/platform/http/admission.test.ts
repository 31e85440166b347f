/**
 * The admission controller as values: limits on requests in flight per class, and the share
 * admitted while the event loop runs late under real load, with its floor and its recovery;
 * a busy loop with few connections (a closed loop of one or eight clients) is not overload.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdmissionController, type AdmissionPolicy } from './admission.ts';

type TestClass = 'search' | 'pages';

const policy: AdmissionPolicy<TestClass> = {
  limits: { search: { inFlightMax: 2 }, pages: { inFlightMax: 3 } },
  eventLoopDelayMsMax: 50, eventLoopUtilisationMax: 0.9,
  lateTicksToCut: 2,
  arrivalsPerTickMin: 4,
  connectionsFloor: 16,
  admitShareMin: 0.125,
};

/** A controller with this many client connections open. */
function controllerWith(connections: number): AdmissionController<TestClass> {
  const controller = new AdmissionController(policy);
  for (let index = 0; index < connections; index += 1) controller.connectionOpened();
  return controller;
}

/** Many clients: a flood whose requests wait in the kernel. */
const floodConnections = 2_000;

/** A 20 ms tick `lateMs` late, loop busy `utilisation`, after `arrivals` requests arrived. */
function tick(
  controller: AdmissionController<TestClass>,
  lateMs: number,
  arrivals: number,
  utilisation = 0,
) {
  for (let index = 0; index < arrivals; index += 1) {
    if (controller.tryAdmit('search') === 'admitted') controller.release('search');
  }
  controller.observeTick({ lateMs, utilisation, windowMs: 20 + lateMs });
}

function admittedOf(controller: AdmissionController<TestClass>, offered: number): number {
  let admitted = 0;
  for (let index = 0; index < offered; index += 1) {
    if (controller.tryAdmit('pages') === 'admitted') {
      admitted += 1;
      controller.release('pages');
    }
  }
  return admitted;
}

describe('admission controller', () => {
  it('refuses a class past its limit in flight, other classes still admitted', () => {
    const controller = new AdmissionController(policy);
    assert.equal(controller.tryAdmit('search'), 'admitted');
    assert.equal(controller.tryAdmit('search'), 'admitted');
    assert.equal(controller.tryAdmit('search'), 'too-many-in-flight');
    assert.equal(controller.tryAdmit('pages'), 'admitted');
    assert.deepEqual(controller.state().inFlight, { search: 2, pages: 1 });
    controller.release('search');
    assert.equal(controller.tryAdmit('search'), 'admitted');
  });

  it('cuts the share from the second late tick in a row with arrivals, and admits it exactly',
    () => {
      const controller = controllerWith(floodConnections);
      tick(controller, 200, 10);
      assert.equal(controller.state().admitShare, 1, 'one late tick is no trend');
      tick(controller, 200, 10);
      assert.equal(controller.state().admitShare, 0.5, '4x late: the deepest cut, by half');
      assert.equal(admittedOf(controller, 100), 50);
      // One in two, spread evenly: refuse, admit, refuse, admit.
      assert.deepEqual(Array.from({ length: 4 }, () => controller.tryAdmit('pages')),
        ['event-loop-late', 'admitted', 'event-loop-late', 'admitted']);
      tick(controller, 62.5, 10);
      assert.equal(controller.state().admitShare, 0.4, 'a little late: a shallower cut');
    });

  it('a loop on time that never idles, many connections waiting, cuts by a tenth', () => {
    const controller = controllerWith(floodConnections);
    tick(controller, 5, 10, 0.95);
    tick(controller, 5, 10, 0.95);
    assert.equal(controller.state().admitShare, 0.9);
    tick(controller, 5, 10, 0.5);
    assert.ok(Math.abs(controller.state().admitShare - 0.92) < 1e-9);
  });

  it('a closed loop of one or eight clients keeps the loop busy and is never refused', () => {
    for (const connections of [1, 8]) {
      const controller = controllerWith(connections);
      // 70 requests a tick, the loop never idle and even late (slow searches) at every tick.
      for (let round = 0; round < 50; round += 1) tick(controller, 120, 70, 1);
      assert.equal(controller.state().admitShare, 1, `${connections} connections`);
      assert.equal(admittedOf(controller, 200), 200);
    }
  });

  it('a busy loop over many connections whose wait is short (cheap requests) cuts nothing',
    () => {
      // 40 connections, 0.3 ms of loop a request: at most 12 ms of queue, under the 50 ms.
      const controller = controllerWith(40);
      for (let round = 0; round < 20; round += 1) tick(controller, 0.5, 66, 1);
      assert.equal(controller.state().admitShare, 1);
      // The same loop with 400 connections: a 120 ms queue, which refusing shortens.
      for (let index = 0; index < 360; index += 1) controller.connectionOpened();
      tick(controller, 0.5, 66, 1);
      tick(controller, 0.5, 66, 1);
      assert.equal(controller.state().admitShare, 0.9);
    });

  it('admits everything below the connection floor even while the share is cut', () => {
    const controller = controllerWith(floodConnections);
    for (let round = 0; round < 10; round += 1) tick(controller, 500, 20);
    assert.ok(controller.state().admitShare < 0.5);
    assert.ok(admittedOf(controller, 100) < 50, 'the flood is shed');
    for (let index = 0; index < floodConnections - 8; index += 1) controller.connectionClosed();
    assert.equal(controller.state().connections, 8);
    assert.equal(admittedOf(controller, 100), 100, 'eight clients left: all admitted');
    tick(controller, 500, 20);
    assert.ok(controller.state().admitShare > 0.125, 'a late tick with 8 clients is not late');
  });

  it('cuts nothing when the loop is late but few requests arrive (a pause, not load)', () => {
    const controller = controllerWith(floodConnections);
    for (let round = 0; round < 10; round += 1) tick(controller, 1_000, 1);
    assert.equal(controller.state().admitShare, 1);
    assert.equal(admittedOf(controller, 50), 50);
  });

  it('never cuts below the floor, and recovers fully once the loop is on time', () => {
    const controller = controllerWith(floodConnections);
    for (let round = 0; round < 40; round += 1) tick(controller, 500, 20);
    assert.equal(controller.state().admitShare, 0.125);
    assert.equal(admittedOf(controller, 96), 12);
    for (let round = 0; round < 43; round += 1) tick(controller, 0, 20);
    assert.ok(controller.state().admitShare < 1, 'recovery is gradual');
    tick(controller, 0, 20);
    assert.equal(controller.state().admitShare, 1);
    assert.equal(admittedOf(controller, 100), 100);
  });

  it('a late tick after a cut holds the share; an on-time one between resets the run', () => {
    const controller = controllerWith(floodConnections);
    tick(controller, 200, 10);
    tick(controller, 0, 10);
    tick(controller, 200, 10);
    assert.equal(controller.state().admitShare, 1);
  });

  it('refuses a release without an admission, and a policy without limits', () => {
    const controller = new AdmissionController(policy);
    assert.throws(() => controller.release('pages'), /released more than admitted/);
    assert.throws(() => controller.connectionClosed(), /closed more connections/);
    assert.throws(() => new AdmissionController({
      ...policy, limits: { search: { inFlightMax: 0 }, pages: { inFlightMax: 1 } },
    }), /inFlightMax/);
    assert.throws(() => new AdmissionController({ ...policy, admitShareMin: 0 }),
      /admitShareMin/);
    assert.throws(() => new AdmissionController({ ...policy, connectionsFloor: -1 }),
      /connectionsFloor/);
  });
});
