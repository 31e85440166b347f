/**
 * The card acquirer emulator over real HTTP in tests: the emulator on its own port with a
 * manual clock and scheduler (nothing is sent until the test moves time or flushes), and a
 * notification receiver that keeps each POST's raw body and headers and answers as told.
 *
 *   const acquirer = await startTestCardEmulator();
 *   const receiver = await startNotificationReceiver();
 *   ... create a session with notificationUrl: `${receiver.url}/notify`, pay it ...
 *   await acquirer.emulator.flushNotifications();
 *   receiver.received[0].rawBody, receiver.received[0].signature
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  cardEmulatorDemoMerchant,
  manualScheduler,
  startCardEmulatorServer,
  type CardEmulatorServer,
  type CardEmulatorServerOptions,
  type ManualScheduler,
} from '#modules/card-emulator/index.ts';
import { manualClock } from '#platform/clock/index.ts';

export const testCardMerchant = cardEmulatorDemoMerchant;

export type TestCardEmulator = CardEmulatorServer & Readonly<{
  clock: ReturnType<typeof manualClock>;
  scheduler: ManualScheduler;
}>;

/** The emulator on a manual clock (from now), moved only by scheduler.advanceMs(). */
export async function startTestCardEmulator(
  options: Partial<CardEmulatorServerOptions> = {},
  start = new Date(),
): Promise<TestCardEmulator> {
  const clock = manualClock(start);
  const scheduler = manualScheduler(clock);
  const server = await startCardEmulatorServer({ clock, scheduler, ...options });
  return { ...server, clock, scheduler };
}

export type ReceivedNotification = Readonly<{
  path: string;
  rawBody: string;
  signature: string | undefined;
  body: unknown;
}>;

export type NotificationReceiver = Readonly<{
  url: string;
  received: ReceivedNotification[];
  /** The statuses of the next answers, in order; 200 once they run out. */
  answerWith: (statuses: readonly number[]) => void;
  close: () => Promise<void>;
}>;

async function readRaw(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startNotificationReceiver(): Promise<NotificationReceiver> {
  const received: ReceivedNotification[] = [];
  let statuses: number[] = [];
  const server = createServer((request, response) => {
    void readRaw(request).then((rawBody) => {
      const signature = request.headers['card-signature'];
      received.push({ path: request.url ?? '/', rawBody, body: JSON.parse(rawBody) as unknown,
        signature: typeof signature === 'string' ? signature : undefined });
      response.writeHead(statuses.shift() ?? 200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith: (next) => {
      statuses = [...next];
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
