import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, startApp, stopChild } from './app-process.ts';
import { startBareServer } from './bare-server.ts';

async function ephemeralLow(): Promise<number> {
  try {
    const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    return Number(range.trim().split(/\s+/)[0]);
  } catch {
    return 32_768;
  }
}

describe('bench app processes', () => {
  it('finds a port below the ephemeral range that can be listened on', async () => {
    const port = await freePort();
    assert.ok(port < await ephemeralLow(), `port ${port}`);
    const server = net.createServer();
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops a running child, and returns at once for one that has already exited',
    { timeout: 30_000 }, async () => {
    const running = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await stopChild(running);
    assert.equal(running.signalCode, 'SIGTERM');
    const exited = spawn(process.execPath, ['-e', 'process.exit(3)']);
    await once(exited, 'close');
    await stopChild(exited);
    assert.equal(exited.exitCode, 3);
  });

  it('fails the start at once when the app exits, not at the deadline', async () => {
    const startedAt = Date.now();
    const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'bench-app-process-'));
    try {
      await assert.rejects(startApp({ database: { env: { HUDUMA_DATA_DIR: dataDirectory } },
        port: await freePort(), env: { LOG_LEVEL: 'not-a-level' }, startTimeoutMs: 600_000 }),
      /exited at start/);
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
    assert.ok(Date.now() - startedAt < 120_000);
  });

  it('starts a bare server and reads its port; it answers until stopped', async () => {
    const bare = await startBareServer('bench/ussd/bare-server.ts');
    try {
      const response = await fetch(`http://127.0.0.1:${bare.port}/ussd`, { method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ sessionId: 'test', text: '' }) });
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^CON Huduma/);
    } finally {
      await stopChild(bare.child);
    }
    assert.equal(bare.child.exitCode, 0);
  });

  it('rejects when the bare server exits before printing its port', async () => {
    // A module that prints nothing and exits 0 when run.
    await assert.rejects(startBareServer('bench/shared/child-job.ts'), /exited 0 at start/);
  });
});
