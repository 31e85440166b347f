/**
 * A sample agency billing system (a power utility, say) that keeps its own bills and talks to
 * Huduma both ways (README.md):
 * - Huduma asks it about a bill (POST /bill-lookup, signed with the lookup secret): it answers
 *   whether the bill exists and how much is due.
 * - Huduma tells it of payments (POST /webhooks, signed with the webhook secret): it records
 *   each event once and takes a payment off the bill it names.
 * - It creates an invoice through Huduma's integration API with its API key
 *   (createPlatformInvoice).
 * For demonstrations and tests it can be made slow or down (setMode), to show Huduma's
 * timeout and fallback. Amounts are bigint minor units, as decimal strings on the wire.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { verifyHudumaSignature } from './signature.ts';

export type Bill = { amountDueMinor: bigint; currency: 'KES' | 'USD' };
export type Mode = 'normal' | 'slow' | 'down';

export type ReceivedWebhook = Readonly<{ id: string; type: string; data: unknown }>;
export type ReceivedLookup = Readonly<{ reference: string; amountMinor: string;
  verified: boolean; body: string }>;

export type SampleAgencyOptions = Readonly<{
  port?: number;
  host?: string;
  lookupSecret: string;
  webhookSecret: string;
  bills?: ReadonlyMap<string, Bill>;
}>;

export type SampleAgency = Readonly<{
  url: string;
  lookupUrl: string;
  webhookUrl: string;
  bills: Map<string, Bill>;
  webhooks: ReceivedWebhook[];
  lookups: ReceivedLookup[];
  /** Requests refused for a bad signature. */
  refused: string[];
  setMode: (mode: Mode, slowMs?: number) => void;
  setSecrets: (secrets: Readonly<{ lookupSecret?: string; webhookSecret?: string }>) => void;
  close: () => Promise<void>;
}>;

const bodyBytesMax = 64 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > bodyBytesMax) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function parse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? value as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

type State = {
  mode: Mode;
  slowMs: number;
  lookupSecret: string;
  webhookSecret: string;
  seenEvents: Set<string>;
};

function answerLookup(agency: SampleAgency, state: State, request: IncomingMessage,
  body: string): Readonly<{ status: number; body: unknown }> {
  const verified = verifyHudumaSignature(state.lookupSecret, request.headers, body);
  const fields = parse(body);
  const reference = typeof fields.reference === 'string' ? fields.reference : '';
  agency.lookups.push({ reference, amountMinor: String(fields.amountMinor ?? ''), verified,
    body });
  if (!verified) {
    agency.refused.push('/bill-lookup');
    return { status: 401, body: { error: 'signature' } };
  }
  const bill = agency.bills.get(reference);
  if (bill === undefined) return { status: 200, body: { found: false } };
  return { status: 200, body: { found: true, amountDueMinor: bill.amountDueMinor.toString(),
    currency: bill.currency } };
}

/** Each event once (deliveries may repeat); a payment comes off the bill it names. */
function takeWebhook(agency: SampleAgency, state: State, request: IncomingMessage,
  body: string): number {
  if (!verifyHudumaSignature(state.webhookSecret, request.headers, body)) {
    agency.refused.push('/webhooks');
    return 401;
  }
  const event = parse(body);
  const id = typeof event.id === 'string' ? event.id : '';
  if (id === '' || state.seenEvents.has(id)) return 200;
  state.seenEvents.add(id);
  const type = typeof event.type === 'string' ? event.type : '';
  agency.webhooks.push({ id, type, data: event.data });
  const data = (event.data ?? {}) as Record<string, unknown>;
  const amount = (data.amount ?? {}) as Record<string, unknown>;
  const bill = typeof data.invoiceReference === 'string'
    ? agency.bills.get(data.invoiceReference) : undefined;
  if (type === 'payment.received' && bill !== undefined &&
    typeof amount.amountMinor === 'string' && /^\d{1,18}$/.test(amount.amountMinor)) {
    const left = bill.amountDueMinor - BigInt(amount.amountMinor);
    bill.amountDueMinor = left > 0n ? left : 0n;
  }
  return 200;
}

export async function startSampleAgency(options: SampleAgencyOptions): Promise<SampleAgency> {
  const state: State = { mode: 'normal', slowMs: 0, lookupSecret: options.lookupSecret,
    webhookSecret: options.webhookSecret, seenEvents: new Set() };
  const sockets = new Set<Socket>();
  // Requests come only after listening, when `agency` below is set.
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    const body = await readBody(request);
    if (request.method === 'POST' && path === '/bill-lookup') {
      if (state.mode === 'down') return send(response, 503, { error: 'down for maintenance' });
      if (state.mode === 'slow') await new Promise((done) => setTimeout(done, state.slowMs));
      const answer = answerLookup(agency, state, request, body);
      return send(response, answer.status, answer.body);
    }
    if (request.method === 'POST' && path === '/webhooks') {
      return send(response, takeWebhook(agency, state, request, body), { received: true });
    }
    return send(response, 404, { error: 'not found' });
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const agency: SampleAgency = {
    url, lookupUrl: `${url}/bill-lookup`, webhookUrl: `${url}/webhooks`,
    bills: new Map([...(options.bills ?? new Map<string, Bill>())]
      .map(([reference, bill]) => [reference, { ...bill }])),
    webhooks: [], lookups: [], refused: [],
    setMode: (mode, slowMs = 0) => {
      state.mode = mode;
      state.slowMs = slowMs;
    },
    setSecrets: (secrets) => {
      if (secrets.lookupSecret !== undefined) state.lookupSecret = secrets.lookupSecret;
      if (secrets.webhookSecret !== undefined) state.webhookSecret = secrets.webhookSecret;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  return agency;
}

export type PlatformInvoiceRequest = Readonly<{
  platformUrl: string;
  apiKey: string;
  agencyReference: string;
  service: string;
  payerAccountId: string;
}>;

/**
 * The other direction: an invoice made on Huduma through the integration API
 * (docs/agency-api.md), idempotent on our own reference. Answers Huduma's status and body.
 */
export async function createPlatformInvoice(request: PlatformInvoiceRequest):
  Promise<Readonly<{ status: number; body: Record<string, unknown> }>> {
  const response = await fetch(`${request.platformUrl}/api/v1/agency/invoices`, {
    method: 'POST', signal: AbortSignal.timeout(10_000),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${request.apiKey}` },
    body: JSON.stringify({ agencyReference: request.agencyReference, service: request.service,
      payerAccountId: request.payerAccountId }),
  });
  return { status: response.status, body: parse(await response.text()) };
}
