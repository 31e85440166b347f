/**
 * A private PostgreSQL cluster for the fault suite: made with initdb in a temporary folder, on
 * a free port, that the suite may stop abruptly (SIGKILL of the server and its children, or
 * `pg_ctl stop -m immediate`) and start again, as a power cut or an OOM kill would. Never the
 * machine's shared server. PostgreSQL refuses to run as root, so as root every server command
 * runs as the `postgres` user (runuser).
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '#test/helpers/payments.ts';

const run = promisify(execFile);

/** Where the PostgreSQL server programs are: HUDUMA_POSTGRES_BIN, else the newest installed. */
export function findPostgresBin(): string | undefined {
  const configured = process.env.HUDUMA_POSTGRES_BIN;
  if (configured !== undefined && configured !== '') return configured;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  const found = versions.map((version) => path.join(root, version, 'bin'))
    .find((bin) => existsSync(path.join(bin, 'initdb')));
  return found;
}

/** Why a private cluster cannot be made here, or undefined when it can. */
export function privateClusterProblem(): string | undefined {
  const bin = findPostgresBin();
  if (bin === undefined) return 'no PostgreSQL server programs (initdb) found';
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') &&
    !existsSync('/sbin/runuser')) {
    return 'running as root without runuser to start PostgreSQL as postgres';
  }
  return undefined;
}

export type StopMode = 'sigkill' | 'immediate';

export type PrivateCluster = Readonly<{
  port: number;
  /** A URL of a database on this cluster, as its superuser. */
  url: (database: string) => string;
  start: () => Promise<void>;
  /** Stops the server abruptly: no checkpoint, no goodbye to clients. */
  crash: (mode: StopMode) => Promise<void>;
  /** A clean stop (fast shutdown), then the folder removed. */
  remove: () => Promise<void>;
  /** Runs one statement on its `postgres` database. */
  adminQuery: (statement: string) => Promise<void>;
  bin: string;
}>;

async function asPostgres(bin: string, program: string, args: readonly string[]) {
  const file = path.join(bin, program);
  return process.getuid?.() === 0
    ? run('runuser', ['-u', 'postgres', '--', file, ...args])
    : run(file, args);
}

function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const fields = line?.split(':');
  if (fields === undefined || fields.length < 4) throw new Error('no postgres user');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** The server's process id from postmaster.pid, or undefined when it is not running. */
function postmasterPid(dataDirectory: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8')
      .split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid` (the server's backends and helpers). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(', ')} did not end`);
    await sleep(50);
  }
}

/** Makes, configures and starts a private cluster. */
export async function createPrivateCluster(): Promise<PrivateCluster> {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error('no PostgreSQL server programs found');
  const folder = mkdtempSync(path.join(tmpdir(), 'huduma-fault-pg-'));
  const dataDirectory = path.join(folder, 'data');
  const owner = postgresOwner();
  if (owner !== undefined) chownSync(folder, owner.uid, owner.gid);
  const port = await freePort();
  await asPostgres(bin, 'initdb', ['-D', dataDirectory, '-U', 'postgres', '--auth=trust',
    '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const settings = ['-c', `port=${port}`, '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${folder}`, '-c', 'max_connections=60',
    '-c', 'shared_buffers=32MB'];
  const logFile = path.join(folder, 'server.log');
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const start = async () => {
    await asPostgres(bin, 'pg_ctl', ['-D', dataDirectory, '-l', logFile, '-w', '-t', '120',
      '-o', settings.map((part) => (part === '-c' ? part : `'${part}'`)).join(' '), 'start']);
  };
  const crash = async (mode: StopMode) => {
    const pid = postmasterPid(dataDirectory);
    if (pid === undefined) return;
    if (mode === 'immediate') {
      await asPostgres(bin, 'pg_ctl', ['-D', dataDirectory, '-m', 'immediate', '-w', 'stop']);
      return;
    }
    const processes = [pid, ...childrenOf(pid)];
    for (const each of processes) process.kill(each, 'SIGKILL');
    await waitGone(processes, 30_000);
  };
  const adminQuery = async (statement: string) => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  // A run that ends by an uncaught error leaves no server behind (immediate shutdown).
  const stopAtExit = () => {
    const pid = postmasterPid(dataDirectory);
    if (pid !== undefined) process.kill(pid, 'SIGQUIT');
  };
  process.once('exit', stopAtExit);
  await start();
  return {
    port, url, start, crash, adminQuery, bin,
    remove: async () => {
      process.removeListener('exit', stopAtExit);
      if (postmasterPid(dataDirectory) !== undefined) {
        await asPostgres(bin, 'pg_ctl', ['-D', dataDirectory, '-m', 'fast', '-w', 'stop'])
          .catch(() => crash('sigkill'));
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
