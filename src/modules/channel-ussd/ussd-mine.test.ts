/**
 * "My last payments" (menu 4) over HTTP: a bill paid by an M-Pesa prompt started from the WEB
 * (payments' initiateStkPush, paid through the Daraja emulator over real HTTP) is on the
 * phone's list with the prompts it asked for over USSD, each once, newest first; a prompt
 * refused over USSD shows as not paid; another phone's payments never appear.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import {
  createInvoiceForService,
  initiateStkPush,
  invoiceView,
  stkDepsFor,
} from '#modules/payments/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { ussdPaths } from './ussd-paths.ts';
import { phoneKeyOf } from './ussd-phone.ts';

const token = 'ussd-mine-gateway-token-0123456789';
const phone = '+254733445566';
const refusing = '+254733441032';
const other = '+254744556677';
const waiting = '+254755667788';
const dayMs = 24 * 60 * 60_000;

function dialler(app: () => FastifyInstance) {
  let session = 0;
  return async (phoneNumber: string, text: string, fresh = true): Promise<string> => {
    if (fresh) session += 1;
    const response = await app().inject({
      method: 'POST', url: ussdPaths.gateway(token),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ sessionId: `ussd-mine-${session}`,
        serviceCode: '*384*222#', phoneNumber, text }).toString(),
    });
    assert.equal(response.statusCode, 200);
    return response.body;
  };
}

describeOnDatabases('USSD my last payments', (database) => {
  describe('from the web and from USSD', () => {
    let harness: PaymentsHarness;
    const dial = dialler(() => harness.app);

    before(async () => {
      await insertPaymentsFixture(database());
      harness = await startPaymentsHarness(database(),
        { env: { HUDUMA_USSD_GATEWAY_TOKEN: token } });
    });
    after(async () => {
      await harness.close();
    });

    async function bill() {
      const created = await createInvoiceForService(harness.deps, {
        service: fixtureIds.permit, payerAccountId: newPayerId(), now: new Date() });
      assert.ok(created.ok);
      return created.value;
    }

    async function payFromWeb(to: string) {
      const invoice = await bill();
      const started = await initiateStkPush(stkDepsFor(harness.deps), {
        invoiceReference: invoice.reference, phone: to, requestedBy: newPayerId(),
        requestKey: `web-pay-${invoice.id}`, now: new Date() });
      assert.ok(started.ok);
      await harness.daraja.emulator.idle();
      assert.equal((await invoiceView(harness.deps, invoice.reference))?.status, 'paid');
      return invoice.reference;
    }

    it('lists a bill paid by a prompt started on the web, and one paid over USSD, each once',
      async () => {
        assert.match(await dial(phone, '4'), /^CON My last payments\nNo payments from this/);
        const web = await payFromWeb(phone);
        const theirs = await payFromWeb(other);
        const shown = await dial(phone, '4');
        assert.match(shown, new RegExp(`^CON My last payments\\n${web} KES 260\\.00 paid\\n`));
        assert.doesNotMatch(shown, new RegExp(theirs));

        const overUssd = await bill();
        assert.match(await dial(phone, `1*${overUssd.reference}*1`), /^END An M-Pesa prompt/);
        await harness.daraja.emulator.idle();
        const both = await dial(phone, '4');
        assert.match(both, new RegExp(`^CON My last payments\\n${overUssd.reference} KES ` +
          `260\\.00 paid\\n${web} KES 260\\.00 paid\\n`));
        assert.equal(both.split(overUssd.reference).length, 2, 'the USSD payment is listed once');
        assert.doesNotMatch(both, new RegExp(theirs));
        assert.ok(both.length <= 182);

        const theirList = await dial(other, '4');
        assert.match(theirList, new RegExp(`^CON My last payments\\n${theirs} KES 260\\.00 paid`));
        assert.doesNotMatch(theirList, new RegExp(`${web}|${overUssd.reference}`));
      });

    it('shows a prompt refused on the phone as not paid, and only to that phone', async () => {
      const refused = await bill();
      assert.match(await dial(refusing, `1*${refused.reference}*1`), /^END An M-Pesa prompt/);
      await harness.daraja.emulator.idle();
      assert.match(await dial(refusing, '4'),
        new RegExp(`^CON My last payments\\n${refused.reference} KES 260\\.00 not paid\\n`));
      assert.doesNotMatch(await dial(phone, '4'), new RegExp(refused.reference));
    });

    /** A prompt asked for over USSD that M-Pesa has not answered yet, sent `daysAgo`. */
    async function unansweredPrompt(daysAgo: number): Promise<string> {
      const invoice = await bill();
      const id = uuidv7();
      const at = new Date(Date.now() - daysAgo * dayMs);
      await sql`insert into stk_push (id, invoice_id, requested_by, request_key, phone_number,
        amount_minor, currency, account_reference, created_at) values (${id}, ${invoice.id},
        'ussd', null, ${waiting.slice(1)}, 26000, 'KES', ${invoice.reference}, ${at})`
        .execute(database().db);
      await sql`insert into stk_push_event (id, stk_push_id, kind, recorded_at) values
        (${uuidv7()}, ${id}, 'STK_PUSH_SUBMITTED', ${at})`.execute(database().db);
      await sql`insert into ussd_payment (id, phone_key, invoice_reference, stk_push_id,
        created_at) values (${uuidv7()}, ${phoneKeyOf(harness.config.ussd.phoneKey, waiting)},
        ${invoice.reference}, ${id}, ${at})`.execute(database().db);
      return invoice.reference;
    }

    it('shows a prompt not answered for a day as waiting, and forgets prompts past 90 days',
      async () => {
        const old = await unansweredPrompt(91);
        const recent = await unansweredPrompt(1);
        const shown = await dial(waiting, '4');
        assert.match(shown, new RegExp(`^CON My last payments\n${recent} KES 260\.00 waiting\n`));
        assert.doesNotMatch(shown, new RegExp(old));
      });

    it('keeps at most three, newest first', async () => {
      const newer = [await payFromWeb(phone), await payFromWeb(phone)];
      const shown = await dial(phone, '4');
      const listed = [...shown.matchAll(/\n(\S+) KES 260\.00 paid/g)].map((match) => match[1]);
      assert.equal(listed.length, 3);
      assert.deepEqual(listed.slice(0, 2), [newer[1], newer[0]]);
    });
  });
});
