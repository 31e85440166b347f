/**
 * A sample agency system written for the old eCitizen gateway (Pesaflow), as integrators' public
 * code does it (README.md): it posts a checkout form to /PaymentAPI/iframev2.1.php with its
 * secureHash, receives the payment notification (IPN) at its notificationURL and verifies its
 * signature, and polls /api/invoice/payment/status. Moving it to Huduma is changing `baseUrl`.
 * It depends on nothing of Huduma's: its hashes follow the protocol, computed here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Encoding = 'hex-base64' | 'raw-base64';
export type Recipe = 'invoice-amount' | 'ref-invoice-amount-date';

export type ClientKeys = Readonly<{
  apiClientID: string; apiKey: string; secret: string; encoding: Encoding; recipe: Recipe;
}>;

export type ReceivedIpn = Readonly<{ body: Record<string, unknown>; verified: boolean }>;

export type Invoice = Readonly<{ billRefNumber: string; amountExpected: string;
  serviceID: string; billDesc: string; clientName: string; clientIDNumber: string;
  clientMSISDN?: string; sendSTK?: boolean; format?: 'json' | 'iframe' }>;

export type SamplePesaflowClient = Readonly<{
  url: string;
  notificationURL: string;
  callBackURLOnSuccess: string;
  ipns: ReceivedIpn[];
  /** Posts the checkout form; answers the gateway's status and JSON (or its redirect). */
  checkout: (invoice: Invoice, tamper?: (form: URLSearchParams) => void) =>
    Promise<{ status: number; body: unknown; location: string | null }>;
  pollStatus: (invoiceNumber: string) => Promise<{ status: number; body: unknown }>;
  close: () => Promise<void>;
}>;

/** base64 of HMAC-SHA256(apiKey, message): of the hex digest, or of the raw digest. */
export function hmacOf(keys: Pick<ClientKeys, 'apiKey' | 'encoding'>, message: string): string {
  const mac = createHmac('sha256', keys.apiKey).update(message);
  return keys.encoding === 'hex-base64' ? Buffer.from(mac.digest('hex')).toString('base64')
    : mac.digest('base64');
}

export function secureHashOf(keys: ClientKeys, invoice: Invoice, currency = 'KES'): string {
  return hmacOf(keys, keys.apiClientID + invoice.amountExpected + invoice.serviceID +
    invoice.clientIDNumber + currency + invoice.billRefNumber + invoice.billDesc +
    invoice.clientName + keys.secret);
}

export function verifyIpn(keys: ClientKeys, body: Record<string, unknown>): boolean {
  const text = (name: string): string => {
    const value = body[name];
    return typeof value === 'string' ? value : '';
  };
  const message = keys.recipe === 'invoice-amount'
    ? text('invoice_number') + text('amount_paid') + keys.secret
    : text('client_invoice_ref') + text('invoice_number') + text('amount_paid') +
      text('payment_date') + keys.secret;
  const expected = Buffer.from(hmacOf(keys, message));
  const given = Buffer.from(text('secure_hash'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function handler(keys: ClientKeys, ipns: ReceivedIpn[]) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method === 'POST' && request.url === '/ipn') {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      } catch {
        response.writeHead(400).end();
        return;
      }
      const verified = verifyIpn(keys, body);
      ipns.push({ body, verified });
      response.writeHead(verified ? 200 : 401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ received: verified }));
      return;
    }
    if (request.method === 'GET' && request.url?.startsWith('/paid') === true) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        '<!doctype html><html lang="en"><title>Sample agency</title>' +
        '<h1>Thank you: your payment was received</h1></html>');
      return;
    }
    response.writeHead(404).end();
  };
}

export async function startSamplePesaflowClient(options: Readonly<{
  baseUrl: string; keys: ClientKeys; port?: number; host?: string;
}>): Promise<SamplePesaflowClient> {
  const { keys } = options;
  const ipns: ReceivedIpn[] = [];
  const sockets = new Set<Socket>();
  const serve = handler(keys, ipns);
  const server: Server = createServer((request, response) => {
    serve(request, response).catch(() => response.writeHead(500).end());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const notificationURL = `${url}/ipn`;
  const callBackURLOnSuccess = `${url}/paid`;
  return {
    url, notificationURL, callBackURLOnSuccess, ipns,
    checkout: async (invoice, tamper) => {
      const form = new URLSearchParams({ apiClientID: keys.apiClientID,
        serviceID: invoice.serviceID, billDesc: invoice.billDesc, currency: 'KES',
        billRefNumber: invoice.billRefNumber, clientMSISDN: invoice.clientMSISDN ?? '',
        clientName: invoice.clientName, clientIDNumber: invoice.clientIDNumber,
        clientEmail: '', amountExpected: invoice.amountExpected, callBackURLOnSuccess,
        callBackURLOnFailure: `${url}/failed`, callBackURLOnTimeout: `${url}/timeout`,
        notificationURL, pictureURL: '', format: invoice.format ?? 'json',
        sendSTK: invoice.sendSTK === true ? 'true' : 'false',
        secureHash: secureHashOf(keys, invoice) });
      tamper?.(form);
      const answer = await fetch(`${options.baseUrl}/PaymentAPI/iframev2.1.php`, {
        method: 'POST', body: form, redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const text = await answer.text();
      const isJson = (answer.headers.get('content-type') ?? '').includes('json');
      return { status: answer.status, body: isJson ? JSON.parse(text) as unknown : text,
        location: answer.headers.get('location') };
    },
    pollStatus: async (invoiceNumber) => {
      const query = new URLSearchParams({ api_client_id: keys.apiClientID, ref_no: invoiceNumber,
        secure_hash: hmacOf(keys, keys.apiClientID + invoiceNumber) });
      const answer = await fetch(`${options.baseUrl}/api/invoice/payment/status?${
        query.toString()}`);
      return { status: answer.status, body: await answer.json() as unknown };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
