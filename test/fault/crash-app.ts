/**
 * The app as a real child process (`node src/main.ts`) for the fault suite: started with its
 * own environment, told apart from a crash of its own, and killed with SIGKILL (no shutdown
 * hook runs, nothing is flushed) or stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

/** The secret path segment of the callback URLs the suite's app uses. */
export const faultCallbackToken = 'fault-suite-callback-token-0123456789';

const readyTimeoutMs = 120_000;

export type AppProcessOptions = Readonly<{
  port: number;
  /** PostgreSQL; undefined: the embedded database in dataDirectory. */
  databaseUrl: string | undefined;
  /** Key files, and the embedded database when databaseUrl is undefined. */
  dataDirectory: string;
  /** The app's stderr and stdout are appended here (it logs no personal data). */
  logFile: string;
  env?: Readonly<Record<string, string>>;
}>;

export type AppProcess = Readonly<{
  url: string;
  /** Starts the app (again) and waits until /healthz answers. */
  start: () => Promise<void>;
  /** SIGKILL, then waits for the process to be gone. */
  kill: () => Promise<void>;
  /** SIGTERM (the app's clean shutdown), then waits. */
  stop: () => Promise<void>;
  /** How many times the app ended without being told to (each is restarted by start). */
  unplannedExits: () => number;
  running: () => boolean;
}>;

/** The environment the app runs with in the suite: test mode, quiet, our callback token. */
export function appEnvironment(options: AppProcessOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME,
    HUDUMA_ENV: 'test', PORT: String(options.port), HOST: '127.0.0.1',
    HUDUMA_PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    HUDUMA_DATA_DIR: options.dataDirectory, HUDUMA_DEMO_DATA: 'off',
    HUDUMA_MPESA_CALLBACK_TOKEN: faultCallbackToken, HUDUMA_MPESA_REGISTER_C2B_URLS: 'off',
    LOG_LEVEL: 'warn', ...options.env,
  };
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  return env;
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the app ended while starting (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const answer = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (answer.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the app did not answer /healthz within ${readyTimeoutMs} ms`);
}

export function appProcess(options: AppProcessOptions): AppProcess {
  const url = `http://127.0.0.1:${options.port}`;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let expectingExit = false;
  let unplanned = 0;
  const running = () => child !== undefined && child.exitCode === null &&
    child.signalCode === null;
  const start = async () => {
    if (running()) return;
    expectingExit = false;
    const started = spawn(process.execPath, ['src/main.ts'], {
      cwd: repositoryRoot, env: appEnvironment(options), stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.stdout.pipe(log, { end: false });
    started.stderr.pipe(log, { end: false });
    exited = new Promise((resolve) => {
      started.once('exit', () => {
        if (!expectingExit) unplanned += 1;
        resolve();
      });
    });
    child = started;
    await waitHealthy(url, started);
  };
  const end = async (signal: NodeJS.Signals) => {
    if (!running()) return;
    expectingExit = true;
    child?.kill(signal);
    await exited;
  };
  return {
    url, start, running,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    unplannedExits: () => unplanned,
  };
}
