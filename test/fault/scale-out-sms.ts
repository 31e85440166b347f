/**
 * A stand-in SMS provider for the scale-out part of the fault suite: each app process is given
 * its own path (`/sms/<process>`), so every message says which process sent it; the reference
 * (the notification id) says which job it was. It answers after a delay, as a real provider
 * does, so one process cannot drain the whole outbox before the others poll.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type SmsCounter = Readonly<{
  /** The URL process `index` sends to. */
  urlFor: (index: number) => string;
  /** Notification id -> the processes that sent it, one entry per message received. */
  sentBy: () => ReadonlyMap<string, readonly number[]>;
  close: () => Promise<void>;
}>;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSmsCounter(answerDelayMs: number): Promise<SmsCounter> {
  const sent = new Map<string, number[]>();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body: unknown = JSON.parse(await readBody(request));
    const reference = typeof body === 'object' && body !== null && 'reference' in body
      ? String(body.reference) : 'none';
    const process = Number((request.url ?? '').split('/').at(-1));
    sent.set(reference, [...(sent.get(reference) ?? []), process]);
    await sleep(answerDelayMs);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ messageId: `sms-${sent.size}` }));
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    urlFor: (index) => `http://127.0.0.1:${port}/sms/${index}`,
    sentBy: () => sent,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
