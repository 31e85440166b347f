/**
 * `huduma document verify <file or payload> [--key <public key PEM file>]`: checks an issued
 * document's signed payload offline, without the database: from a PDF (the payload is in its
 * metadata), a text file, the payload itself, or the /verify address that carries it. The key
 * is the PEM file given (the published /.well-known/huduma-signing-key.pem, or a private key),
 * else the configured signing keys (HUDUMA_SIGNING_KEY and HUDUMA_SIGNING_KEYS_RETIRED).
 * Exit 0 when valid, 1 when expired, changed, signed by another key or not a payload, 2 on bad
 * usage or no key. Revocation is known only online: the output says where to check it.
 */
import { createPublicKey } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '#config';
import {
  loadSigningKeys,
  payloadFromPdf,
  verifyDocumentPayload,
  type DocumentCheckKeys,
  type SignedDocumentFacts,
} from '#modules/documents/index.ts';
import type { CliCommand } from './cli-command.ts';

export type DocumentVerifyIo = Readonly<{
  output: Pick<NodeJS.WriteStream, 'write'>;
  /** The configured keys, when no --key is given; undefined when none is configured. */
  configuredKeys: () => Promise<DocumentCheckKeys | undefined>;
  /** Where to check revocation online (the configured public address). */
  verifyAddress: string;
  now: Date;
}>;

const inputFileBytesMax = 20 * 1024 * 1024;
const usage = 'huduma document verify <file.pdf | file.txt | payload | /verify address> ' +
  '[--key <key.pem>]';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The payload in a pasted text: the text itself, or the p= of a /verify address. */
export function payloadFromText(text: string): string {
  const trimmed = text.trim();
  const fromUrl = /[?&]p=([^&#\s]+)/.exec(trimmed)?.[1];
  const candidate = fromUrl === undefined ? trimmed : decodeURIComponent(fromUrl);
  return candidate.replace(/\s+/g, '');
}

/** The payload from the argument: a PDF's metadata, a text file, or the argument itself. */
export async function readPayloadArgument(argument: string): Promise<string | undefined> {
  if (!await isFile(argument)) return payloadFromText(argument);
  if ((await stat(argument)).size > inputFileBytesMax) return undefined;
  const bytes = await readFile(argument);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return payloadFromPdf(bytes);
  return payloadFromText(bytes.toString('utf8'));
}

async function keyFromFile(path: string): Promise<string> {
  const pem = await readFile(path, 'utf8');
  // A private key is accepted too: only its public half is used.
  return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
}

function factLines(facts: SignedDocumentFacts): string {
  return [
    `  number:      ${facts.number}`,
    `  type:        ${facts.template}`,
    `  service:     ${facts.serviceName}`,
    `  agency:      ${facts.agencyName}`,
    `  holder:      ${facts.holderName}`,
    `  issued on:   ${facts.issuedOn}`,
    `  valid until: ${facts.expiresOn ?? 'does not expire'}`,
    `  signed by key ${facts.keyId}`,
  ].join('\n');
}

export async function runDocumentVerify(args: readonly string[], io: DocumentVerifyIo):
  Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: { key: { type: 'string' } };
    allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: { key: { type: 'string' } },
      allowPositionals: true });
  } catch (error) {
    io.output.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  const [argument, extra] = parsed.positionals;
  if (argument === undefined || extra !== undefined) {
    io.output.write(`${usage}\n`);
    return 2;
  }
  const payload = await readPayloadArgument(argument);
  if (payload === undefined || payload === '') {
    io.output.write('NOT A DOCUMENT: no Huduma document payload found in the input\n');
    return 1;
  }
  const keys = parsed.values.key === undefined ? await io.configuredKeys()
    : await keyFromFile(parsed.values.key);
  if (keys === undefined) {
    io.output.write('NO KEY: pass --key <the published huduma-signing-key.pem>, ' +
      'or set HUDUMA_SIGNING_KEY\n');
    return 2;
  }
  const checked = verifyDocumentPayload(keys, payload, io.now);
  switch (checked.status) {
    case 'valid':
      io.output.write(`VALID: signed by Huduma and not expired\n${factLines(checked.facts)}\n` +
        `Revocation is known only online: check at ${io.verifyAddress}\n`);
      return 0;
    case 'expired':
      io.output.write(`EXPIRED: signed by Huduma, but valid only until ${
        checked.facts.expiresOn ?? ''}\n${factLines(checked.facts)}\n`);
      return 1;
    case 'bad-signature':
      io.output.write('BAD SIGNATURE: changed, or not signed by this key\n');
      return 1;
    case 'malformed':
      io.output.write('NOT A DOCUMENT: not a Huduma document payload\n');
      return 1;
  }
}

export const documentVerifyCommand: CliCommand = {
  words: ['document', 'verify'],
  usage: 'huduma document verify <file|payload> [--key <pem>]',
  summary: 'Check an issued document (PDF, text or QR payload) offline; exit 0 when valid.',
  run: async (args) => {
    const config = loadConfig();
    return runDocumentVerify(args, {
      output: process.stdout,
      configuredKeys: async () => {
        // Development keeps its key in the data folder: use it if there, never make one here.
        const keyFile = path.resolve(config.dataDirectory, 'signing-key.pem');
        if (config.signingKey === undefined && config.environment === 'development' &&
          !await isFile(keyFile)) return undefined;
        return loadSigningKeys(config);
      },
      verifyAddress: `${config.publicBaseUrl}/verify`,
      now: new Date(),
    });
  },
};
