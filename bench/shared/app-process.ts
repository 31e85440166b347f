/**
 * The app under benchmark in its own process: src/main.ts on a bench database, listening on
 * 127.0.0.1, with the M-Pesa emulator, C2B URL registration, demo data and workers off unless a
 * bench's env turns them on; started when /healthz answers, stopped with SIGTERM (SIGKILL after
 * 20 s). The ingest, submit and USSD benchmarks all start it through here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export type AppProcessOptions = Readonly<{
  /** Environment that points the app at the bench database. */
  database: Readonly<{ env: Readonly<Record<string, string>> }>;
  port: number;
  /** Fixes HUDUMA_MPESA_CALLBACK_TOKEN; without it the app generates one at start. */
  callbackToken?: string;
  /** Extra environment (e.g. a profiling switch, HUDUMA_USSD_*, demo data on), applied last. */
  env?: Readonly<Record<string, string>>;
  /** Node flags (e.g. --cpu-prof). */
  execArgv?: readonly string[];
  /** How long the app may take to answer /healthz (120 s unless given). */
  startTimeoutMs?: number;
}>;

async function bindable(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port no one listens on, below the kernel's ephemeral range: a fixed port inside it (as
 * 43,000 + pid was) can be taken by any outgoing connection's local end (the sender's, the
 * pool's, pgbench's), and the app then fails to listen.
 */
export async function freePort(): Promise<number> {
  let ephemeralLow = 32_768;
  try {
    ephemeralLow = Number((await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))
      .trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // not Linux: keep the usual bound
  }
  const low = Math.min(20_000, ephemeralLow - 2_000);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = low + Math.floor(Math.random() * (ephemeralLow - 1 - low));
    if (await bindable(port)) return port;
  }
  throw new Error('no free port found below the ephemeral range');
}

function appEnvironment(options: AppProcessOptions): NodeJS.ProcessEnv {
  return { ...process.env, ...options.database.env, PORT: String(options.port),
    HOST: '127.0.0.1', HUDUMA_ENV: 'development', HUDUMA_MPESA_EMULATOR: 'off',
    HUDUMA_MPESA_REGISTER_C2B_URLS: 'off',
    ...options.callbackToken === undefined ? {}
      : { HUDUMA_MPESA_CALLBACK_TOKEN: options.callbackToken },
    HUDUMA_DEMO_DATA: 'off', HUDUMA_WORKERS: 'off', LOG_LEVEL: 'error', ...options.env };
}

export async function startApp(options: AppProcessOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...options.execArgv ?? [],
    path.join(repositoryRoot, 'src/main.ts')], {
    cwd: repositoryRoot, env: appEnvironment(options), stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  // An app that exits (its port taken, a bad setting) fails the start at once, not at the deadline.
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`http://127.0.0.1:${options.port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(exited ? `the app exited at start (port ${options.port})`
    : `the app did not start within ${timeoutMs / 1000} s`);
}

/** SIGTERM, then SIGKILL after 20 s; a child that has already exited is left as it is. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, 'close');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await closed;
  clearTimeout(timer);
}
