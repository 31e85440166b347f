/**
 * The bare framework a benchmark compares the app with: a Fastify app in its own process (the
 * bench's bare-server.ts) that listens on a port the kernel picks and prints {"port": N} as its
 * first line of stdout, then serves until SIGTERM. serveBare is its side, startBareServer the
 * runner's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { FastifyInstance } from 'fastify';
import { repositoryRoot } from './app-process.ts';

/** In the bare server's process: listen, print the port, close on SIGTERM. */
export async function serveBare(app: FastifyInstance): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

/**
 * In the runner: starts the bare server at `script` (relative to the repository) and resolves
 * with it and its port; rejects if it exits before printing the port.
 */
export async function startBareServer(script: string):
  Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(repositoryRoot, script)],
    { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`${script} exited ${code} at start`)));
    });
    return { child, port: (JSON.parse(line) as { port: number }).port };
  } finally {
    lines.close();
  }
}
