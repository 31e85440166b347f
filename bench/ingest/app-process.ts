/**
 * The ingest benchmarks' processes: the app (src/main.ts on a bench database, workers and demo
 * data off, the M-Pesa callback token fixed by the callers; started and stopped by
 * bench/shared/app-process.ts) and the load sender, each in its own process, so neither shares
 * an event loop with the other or with the runner.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repositoryRoot } from './bench-db.ts';
import type { SenderPlan, SenderReport } from './load-sender.ts';

export { freePort, startApp, stopChild as stopApp } from '../shared/app-process.ts';
export type { AppProcessOptions } from '../shared/app-process.ts';

export function confirmationUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/api/v1/payments/callbacks/${token}/c2b/confirmation`;
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
