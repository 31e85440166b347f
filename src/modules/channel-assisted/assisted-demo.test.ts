/**
 * The demo data: nothing without the demo agent; with it, the agent in the register and the
 * flat cap published (a cap for a demo service only when the service is there); running it
 * again changes nothing.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { demoAgent, seedAssistedDemo } from './assisted-demo.ts';
import { assistedDb } from './assisted-tables.ts';

describeOnDatabases('assisted service demo data', (database) => {
  it('lists the demo agent and publishes the caps once', async () => {
    const deps = testDeps(database());
    assert.deepEqual(await seedAssistedDemo(deps), { seeded: false });
    await signInAs(database(), 'platform-admin');
    const agent = await signInAs(database(), 'assisted-agent');
    await sql`update staff_member set email = ${demoAgent.email} where id = ${agent.id}`
      .execute(database().db);
    assert.deepEqual(await seedAssistedDemo(deps), { seeded: true });
    assert.deepEqual(await seedAssistedDemo(deps), { seeded: true });
    const db = assistedDb(database().db);
    const agents = await db.selectFrom('assisted_agent').select(['staff_id', 'agent_number'])
      .execute();
    assert.deepEqual(agents, [{ staff_id: agent.id, agent_number: demoAgent.agentNumber }]);
    const caps = await db.selectFrom('agent_fee_cap').select(['service_id', 'cap_minor'])
      .execute();
    assert.deepEqual(caps, [{ service_id: null, cap_minor: 10_000n }]);
  });
});
