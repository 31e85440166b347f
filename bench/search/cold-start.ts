/**
 * Cold start: `node src/main.ts` (what `npm start` runs) on an empty data folder, timed from
 * the spawn until GET / answers 200 (and, on the way, until GET /healthz does). Bounded: it
 * gives up after coldStartMsMax and always stops the process and removes the folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repositoryRoot } from './bench-database.ts';

const coldStartMsMax = 60_000;
const pollIntervalMs = 25;
const probeTimeoutMs = 1_000;

export type ColdStart = Readonly<{
  /** Spawn until GET / answered 200; undefined when it never did within the bound. */
  homeMs: number | undefined;
  healthMs: number | undefined;
  /** The last status GET / answered with (0: no answer). */
  homeStatus: number;
}>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(probeTimeoutMs),
      headers: { accept: 'text/html' },
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

export async function measureColdStart(): Promise<ColdStart> {
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'huduma-cold-start-'));
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, [path.join(repositoryRoot, 'src', 'main.ts')], {
    cwd: repositoryRoot,
    env: {
      ...process.env, HUDUMA_DATA_DIR: dataDirectory, PORT: String(port), HOST: '127.0.0.1',
      LOG_LEVEL: 'warn', DATABASE_URL: '', HUDUMA_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let healthMs: number | undefined;
  let homeMs: number | undefined;
  let homeStatus = 0;
  try {
    while (performance.now() - startedAt < coldStartMsMax && child.exitCode === null) {
      if (healthMs === undefined &&
        await statusOf(`http://127.0.0.1:${port}/healthz`) === 200) {
        healthMs = performance.now() - startedAt;
      }
      if (healthMs !== undefined) {
        homeStatus = await statusOf(`http://127.0.0.1:${port}/`);
        if (homeStatus === 200) {
          homeMs = performance.now() - startedAt;
          break;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dataDirectory, { recursive: true, force: true });
  }
  return { homeMs, healthMs, homeStatus };
}
