/**
 * The sample agency system runs from the command line as its README says: it starts on the
 * port given, prints its bills, answers a lookup signed with its secret (found, with the
 * amount due as a string of cents), refuses an unsigned one, and answers 503 in --mode down.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';

const secret = 'bisec_cli_test';
const started: ChildProcess[] = [];

async function start(args: readonly string[]): Promise<Readonly<{ url: string;
  bills: string[] }>> {
  const child = spawn(process.execPath, ['examples/sample-agency/main.ts', '--port', '0',
    ...args], { env: { ...process.env, SAMPLE_AGENCY_LOOKUP_SECRET: secret,
    SAMPLE_AGENCY_WEBHOOK_SECRET: 'whsec_cli_test' }, stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  let output = '';
  for await (const chunk of child.stdout ?? []) {
    output += String(chunk);
    if ((output.match(/^ {4}\S+ {2}KES/gm) ?? []).length === 3) break;
  }
  const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  assert.ok(url !== undefined, output);
  return { url, bills: [...output.matchAll(/^ {4}(\S+) {2}KES (\d+)$/gm)]
    .map((match) => `${match[1] ?? ''} ${match[2] ?? ''}`) };
}

function lookup(url: string, reference: string, signWith?: string) {
  const body = JSON.stringify({ reference, amountMinor: '100', currency: 'KES',
    requestedAt: new Date().toISOString() });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json',
    'huduma-timestamp': timestamp };
  if (signWith !== undefined) {
    headers['huduma-signature'] = `v1=${createHmac('sha256', signWith)
      .update(`${timestamp}.${body}`).digest('hex')}`;
  }
  return fetch(`${url}/bill-lookup`, { method: 'POST', body, headers,
    signal: AbortSignal.timeout(5_000) });
}

describe('the sample agency from the command line', () => {
  after(async () => {
    for (const child of started) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });

  it('answers signed lookups of its bills, refuses unsigned ones, and can be down', async () => {
    const agency = await start(['--prefix', 'KR']);
    assert.equal(agency.bills.length, 3);
    const [reference = '', shillings = ''] = (agency.bills[0] ?? '').split(' ');
    assert.match(reference, /^KR[0-9A-HJKMNP-TV-Z]{9}$/);
    const found = await lookup(agency.url, reference, secret);
    assert.equal(found.status, 200);
    assert.deepEqual(await found.json(), { found: true,
      amountDueMinor: `${shillings}00`, currency: 'KES' });
    assert.equal((await lookup(agency.url, reference)).status, 401);
    assert.equal((await lookup(agency.url, reference, 'bisec_other')).status, 401);
    const down = await start(['--mode', 'down']);
    assert.equal((await lookup(down.url, reference, secret)).status, 503);
  });
});
