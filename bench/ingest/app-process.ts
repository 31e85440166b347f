/**
 * The ingest benchmarks' processes: the app (src/main.ts on a bench database, workers and demo
 * data off, the M-Pesa callback token fixed) and the load sender, each in its own process, so
 * neither shares an event loop with the other or with the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { repositoryRoot, type BenchDatabase } from './bench-db.ts';
import type { SenderPlan, SenderReport } from './load-sender.ts';

export type AppProcessOptions = Readonly<{
  database: BenchDatabase;
  port: number;
  callbackToken: string;
  /** Extra environment (e.g. a profiling switch) and Node flags (e.g. --cpu-prof). */
  env?: Readonly<Record<string, string>>;
  execArgv?: readonly string[];
}>;

export function confirmationUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/api/v1/payments/callbacks/${token}/c2b/confirmation`;
}

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

export async function startApp(options: AppProcessOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...options.execArgv ?? [],
    path.join(repositoryRoot, 'src/main.ts')], {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.database.env, PORT: String(options.port),
      HOST: '127.0.0.1', HUDUMA_ENV: 'development', HUDUMA_MPESA_EMULATOR: 'off',
      HUDUMA_MPESA_REGISTER_C2B_URLS: 'off', HUDUMA_MPESA_CALLBACK_TOKEN: options.callbackToken,
      HUDUMA_DEMO_DATA: 'off', HUDUMA_WORKERS: 'off', LOG_LEVEL: 'error', ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 120_000;
  // An app that exits (its port taken, a bad setting) fails the start at once, not in 120 s.
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
    : 'the app did not start within 120 s');
}

export async function stopApp(child: ChildProcess): Promise<void> {
  const closed = once(child, 'close');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await closed;
  clearTimeout(timer);
}

export async function runSender(plan: SenderPlan, folder: string, timeoutMs: number):
  Promise<SenderReport> {
  const planFile = path.join(folder, `plan-${plan.receiptPrefix}.json`);
  await writeFile(planFile, JSON.stringify(plan));
  const child = spawn(process.execPath, [path.join(repositoryRoot, 'bench/ingest/load-sender.ts'),
    planFile], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(child, 'close') as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the load sender failed (exit ${code})`);
  return JSON.parse(output) as SenderReport;
}
