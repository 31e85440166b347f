/**
 * The ingest benchmarks' processes: the app (src/main.ts on a bench database, workers and demo
 * data off, the M-Pesa callback token fixed) and the load sender, each in its own process, so
 * neither shares an event loop with the other or with the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
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
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${options.port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the app did not start within 120 s');
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
