/**
 * Daraja over real HTTP in tests: the emulator on its own port (127.0.0.1:0), and a callback
 * receiver standing in for our callback routes, recording every POST and answering as told.
 *
 *   const receiver = await startCallbackReceiver();
 *   const daraja = await startTestEmulator({ timing: { stkCompletionDelayMs: 10 } });
 *   ... createDarajaClient({ baseUrl: daraja.baseUrl, ...testDarajaAccount, ... })
 *   await daraja.emulator.idle();  // every callback sent
 *   receiver.received.filter((c) => c.path === '/stk')
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createDarajaEmulator,
  startDarajaEmulatorServer,
  type DarajaEmulatorOptions,
  type EmulatorServer,
} from '#modules/daraja-emulator/index.ts';

/** The account the test emulator knows; pass it to the client under test. */
export const testDarajaAccount = Object.freeze({
  consumerKey: 'test-consumer-key',
  consumerSecret: 'test-consumer-secret',
  shortcode: '222222',
  passkey: 'test-passkey',
  initiator: 'test-initiator',
  securityCredential: 'test-security-credential',
});

/** Short delays, so tests run in milliseconds; override per test. */
export const fastTiming = Object.freeze({
  stkCompletionDelayMs: 20,
  stkTimeoutMs: 150,
  delayedCallbackMs: 250,
  duplicateCallbackGapMs: 20,
  resultDelayMs: 10,
  // The platform's answers are not hurried: a loaded CI machine can take seconds to answer, and
  // a callback the emulator gave up on would still land after idle() resolved. Tests of the
  // timeouts themselves set shorter ones.
  validationTimeoutMs: 3_000,
  callbackTimeoutMs: 10_000,
});

export async function startTestEmulator(
  overrides: Partial<DarajaEmulatorOptions> = {},
): Promise<EmulatorServer> {
  const emulator = createDarajaEmulator({
    credentials: [{
      consumerKey: testDarajaAccount.consumerKey,
      consumerSecret: testDarajaAccount.consumerSecret,
    }],
    shortcodes: [{
      shortcode: testDarajaAccount.shortcode,
      passkey: testDarajaAccount.passkey,
      organizationName: 'HUDUMA',
    }],
    initiator: {
      name: testDarajaAccount.initiator,
      securityCredential: testDarajaAccount.securityCredential,
    },
    ...overrides,
    timing: { ...fastTiming, ...overrides.timing },
  });
  return startDarajaEmulatorServer({ emulator, port: 0, host: '127.0.0.1' });
}

export type ReceivedCallback = Readonly<{ path: string; body: unknown; receivedAt: number }>;

/** How the receiver answers a path: a status and JSON body, late, or never. */
export type ReceiverAnswer =
  | Readonly<{ status?: number; body?: unknown; delayMs?: number }>
  | 'never';

export type CallbackReceiver = Readonly<{
  /** e.g. http://127.0.0.1:40123; callbacks go to `${url}/any/path`. */
  url: string;
  received: ReceivedCallback[];
  answer: (path: string, answer: ReceiverAnswer) => void;
  /** Resolves with the first callback (already received or coming) that matches. */
  waitFor: (match: (callback: ReceivedCallback) => boolean, timeoutMs?: number) =>
    Promise<ReceivedCallback>;
  close: () => Promise<void>;
}>;

const bodySizeBytesMax = 64 * 1024;

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > bodySizeBytesMax) throw new Error('callback body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const answers = new Map<string, ReceiverAnswer>();
  const listeners = new Set<() => void>();
  const respond = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(request);
    received.push({ path, body, receivedAt: Date.now() });
    for (const listener of listeners) listener();
    const answer = answers.get(path) ?? {};
    if (answer === 'never') return;
    if (answer.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    }
    if (response.destroyed) return;
    response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body ?? { ResultCode: 0, ResultDesc: 'Accepted' }));
  };
  const server = createServer((request, response) => {
    respond(request, response).catch(() => response.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (path, answer) => {
      answers.set(path, answer);
    },
    waitFor: (match, timeoutMs = 5_000) => new Promise((resolve, reject) => {
      const check = () => {
        const found = received.find(match);
        if (found === undefined) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no matching callback within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) listeners.add(check);
    }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A server that accepts connections and never answers: for client timeout tests. */
export async function startSilentServer(): Promise<Readonly<{
  url: string; close: () => Promise<void>;
}>> {
  const server = createServer(() => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
