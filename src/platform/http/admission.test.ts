/**
 * The admission controller as values: limits on requests in flight per class, and the share
 * admitted while the event loop runs late, with its floor and its recovery.
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
  admitShareMin: 0.125,
};

/** A tick `lateMs` late, loop busy `utilisation`, after `arrivals` requests arrived. */
function tick(
  controller: AdmissionController<TestClass>,
  lateMs: number,
  arrivals: number,
  utilisation = 0,
) {
  for (let index = 0; index < arrivals; index += 1) {
    if (controller.tryAdmit('search') === 'admitted') controller.release('search');
  }
  controller.observeTick(lateMs, utilisation);
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
      const controller = new AdmissionController(policy);
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

  it('a loop on time that never idles (sockets waiting to be read) cuts by a tenth', () => {
    const controller = new AdmissionController(policy);
    tick(controller, 5, 10, 0.95);
    tick(controller, 5, 10, 0.95);
    assert.equal(controller.state().admitShare, 0.9);
    tick(controller, 5, 10, 0.5);
    assert.ok(Math.abs(controller.state().admitShare - 0.92) < 1e-9);
  });

  it('cuts nothing when the loop is late but few requests arrive (a pause, not load)', () => {
    const controller = new AdmissionController(policy);
    for (let round = 0; round < 10; round += 1) tick(controller, 1_000, 1);
    assert.equal(controller.state().admitShare, 1);
    assert.equal(admittedOf(controller, 50), 50);
  });

  it('never cuts below the floor, and recovers fully once the loop is on time', () => {
    const controller = new AdmissionController(policy);
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
    const controller = new AdmissionController(policy);
    tick(controller, 200, 10);
    tick(controller, 0, 10);
    tick(controller, 200, 10);
    assert.equal(controller.state().admitShare, 1);
  });

  it('refuses a release without an admission, and a policy without limits', () => {
    const controller = new AdmissionController(policy);
    assert.throws(() => controller.release('pages'), /released more than admitted/);
    assert.throws(() => new AdmissionController({
      ...policy, limits: { search: { inFlightMax: 0 }, pages: { inFlightMax: 1 } },
    }), /inFlightMax/);
    assert.throws(() => new AdmissionController({ ...policy, admitShareMin: 0 }),
      /admitShareMin/);
  });
});
