/**
 * A tiny SMTP server for tests (RFC 5321, no TLS, no AUTH): accepts or refuses messages as
 * told, and records what it received, so the real SMTP client is tested over a real socket.
 */
import { createServer, type Server, type Socket } from 'node:net';

export type ReceivedMail = Readonly<{ from: string; to: readonly string[]; data: string }>;

export type SmtpBehaviour = Readonly<{
  /** A reply to RCPT TO instead of 250, e.g. '550 5.1.1 <x@y> user unknown'. */
  rcptReply?: string;
  /** A reply to the end of DATA instead of 250, e.g. '451 4.3.0 try later'. */
  dataReply?: string;
  /** Never send the greeting (a server that hangs). */
  silent?: boolean;
}>;

export type TestSmtpServer = Readonly<{
  port: number;
  received: ReceivedMail[];
  setBehaviour: (behaviour: SmtpBehaviour) => void;
  close: () => Promise<void>;
}>;

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let behaviour: SmtpBehaviour = {};
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (behaviour.silent === true) return;
    converse(socket, behaviour, received);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    received,
    setBehaviour: (next) => {
      behaviour = next;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function converse(socket: Socket, behaviour: SmtpBehaviour, received: ReceivedMail[]): void {
  let buffer = '';
  let inData = false;
  let from = '';
  let to: string[] = [];
  let data: string[] = [];
  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply('220 test.local ESMTP ready');
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end = buffer.indexOf('\r\n');
    while (end >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\r\n');
      if (inData) {
        if (line !== '.') {
          data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        inData = false;
        if (behaviour.dataReply !== undefined) {
          reply(behaviour.dataReply);
        } else {
          received.push({ from, to, data: data.join('\r\n') });
          reply('250 2.0.0 queued as TEST1');
        }
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') reply('250-test.local\r\n250 8BITMIME');
      else if (verb === 'HELO') reply('250 test.local');
      else if (verb === 'MAIL') {
        from = line.replace(/^MAIL FROM:\s*/i, '').replace(/[<>]/g, '').split(' ')[0] ?? '';
        to = [];
        data = [];
        reply('250 2.1.0 ok');
      } else if (verb === 'RCPT') {
        if (behaviour.rcptReply !== undefined) {
          reply(behaviour.rcptReply);
        } else {
          to.push(line.replace(/^RCPT TO:\s*/i, '').replace(/[<>]/g, ''));
          reply('250 2.1.5 ok');
        }
      } else if (verb === 'DATA') {
        inData = true;
        reply('354 go ahead');
      } else if (verb === 'RSET') reply('250 ok');
      else if (verb === 'QUIT') {
        reply('221 bye');
        socket.end();
      } else reply('502 5.5.2 not implemented');
    }
  });
}
