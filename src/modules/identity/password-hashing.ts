/**
 * Passwords are hashed with scrypt (memory-hard, built into Node). The parameters are stored
 * with each hash in PHC string form (`$scrypt$ln=17,r=8,p=1$salt$hash`), so they can be raised
 * later without breaking old hashes: `needsRehash` says when a stored hash is weaker than the
 * current parameters. Comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export type ScryptParameters = Readonly<{
  /** log2 of N, the CPU/memory cost. */
  costLog2: number;
  blockSize: number;
  parallelism: number;
  keyLengthBytes: number;
  saltLengthBytes: number;
}>;

/**
 * OWASP's Password Storage Cheat Sheet today: N=2^17, r=8, p=1. 2^17 x 8 x 128 bytes = 128 MiB
 * per hash, about 300 ms on one core of a small server; hashes made with 2^15 before still
 * verify (their parameters are in them) and are replaced at the next sign-in.
 */
export const scryptParametersDefault: ScryptParameters = Object.freeze({
  costLog2: 17,
  blockSize: 8,
  parallelism: 1,
  keyLengthBytes: 32,
  saltLengthBytes: 16,
});

export const passwordLengthMin = 10;
/** scrypt takes any length, but a limit keeps a huge body from costing us time. */
export const passwordLengthMax = 200;

const costLog2Max = 20;

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLengthBytes: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLengthBytes, options, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/**
 * Node refuses scrypt above `maxmem` (32 MiB by default), so it is raised to what the
 * parameters need (128 x N x r, plus 128 x r x p), with room to spare.
 */
function optionsFor(costLog2: number, blockSize: number, parallelism: number): ScryptOptions {
  const memoryBytes = 128 * (2 ** costLog2) * blockSize + 128 * blockSize * parallelism;
  return { N: 2 ** costLog2, r: blockSize, p: parallelism, maxmem: memoryBytes * 2 };
}

export async function hashPassword(
  password: string,
  parameters: ScryptParameters = scryptParametersDefault,
): Promise<string> {
  const salt = randomBytes(parameters.saltLengthBytes);
  const key = await scryptAsync(password, salt, parameters.keyLengthBytes,
    optionsFor(parameters.costLog2, parameters.blockSize, parameters.parallelism));
  return `$scrypt$ln=${parameters.costLog2},r=${parameters.blockSize},` +
    `p=${parameters.parallelism}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

type ParsedHash = Readonly<{
  costLog2: number;
  blockSize: number;
  parallelism: number;
  salt: Buffer;
  key: Buffer;
}>;

const hashPattern = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/;

function parseHash(stored: string): ParsedHash | undefined {
  const match = hashPattern.exec(stored);
  if (match === null) return undefined;
  const costLog2 = Number(match[1]);
  if (costLog2 < 1 || costLog2 > costLog2Max) return undefined;
  return {
    costLog2,
    blockSize: Number(match[2]),
    parallelism: Number(match[3]),
    salt: Buffer.from(match[4] ?? '', 'base64url'),
    key: Buffer.from(match[5] ?? '', 'base64url'),
  };
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === undefined || parsed.key.length === 0) return false;
  const candidate = await scryptAsync(password, parsed.salt, parsed.key.length,
    optionsFor(parsed.costLog2, parsed.blockSize, parsed.parallelism));
  return timingSafeEqual(candidate, parsed.key);
}

/** A stored hash made with weaker parameters than today's should be replaced at sign-in. */
export function needsRehash(
  stored: string,
  parameters: ScryptParameters = scryptParametersDefault,
): boolean {
  const parsed = parseHash(stored);
  return parsed === undefined || parsed.costLog2 < parameters.costLog2 ||
    parsed.blockSize < parameters.blockSize || parsed.key.length < parameters.keyLengthBytes;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one verification against a hash nobody has, so "no such account" takes
 * as long as "wrong password" and response times reveal nothing.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('no account has this password');
  await verifyPassword(password, await dummyHash);
  return false;
}
