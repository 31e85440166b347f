/**
 * Reading one environment variable of a given kind: the value, or the fallback with a problem
 * named for the person starting the platform. Shared by every part of the configuration.
 */
import { isIP } from 'node:net';

export type Env = Readonly<Record<string, string | undefined>>;

export type Environment = 'development' | 'test' | 'production';

const portMax = 65_535;

export function readPort(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > portMax) {
    problems.push(`${name} must be a whole number from 0 to ${portMax} (got "${raw}")`);
    return fallback;
  }
  return Number(raw);
}

export function readDatabaseUrl(env: Env, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw) || !URL.canParse(raw)) {
    problems.push(`${name} must be a postgres:// or postgresql:// URL`);
    return undefined;
  }
  return raw;
}

export function readBoolean(
  env: Env, name: string, fallback: boolean, problems: string[],
): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

export function readUrl(env: Env, name: string, fallback: string, problems: string[]): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^https?:\/\//.test(raw) || !URL.canParse(raw)) {
    problems.push(`${name} must be an http:// or https:// URL (got "${raw}")`);
    return fallback;
  }
  return raw.replace(/\/+$/, '');
}

export function readWholeNumber(
  env: Env,
  name: string,
  fallback: number,
  range: Readonly<{ min: number; max: number }>,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    problems.push(`${name} must be a whole number from ${range.min} to ${range.max} ` +
      `(got "${raw}")`);
    return fallback;
  }
  return value;
}

/**
 * A comma-separated list of CIDR ranges; the fallback when unset or blank. `example` shows the
 * form in the message about a bad range.
 */
export function readCidrList(
  env: Env,
  name: string,
  options: Readonly<{ fallback: readonly string[]; example: string }>,
  problems: string[],
): readonly string[] {
  const text = env[name];
  const list = text === undefined || text.trim() === '' ? [...options.fallback]
    : text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const bad = list.find((range) => !isCidr(range));
  if (bad !== undefined) {
    problems.push(`${name} must be a comma-separated list of CIDR ranges like ` +
      `${options.example} (got "${bad}")`);
  }
  return Object.freeze(list);
}

function isCidr(text: string): boolean {
  const [address = '', prefix = '', extra] = text.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const version = isIP(address);
  return version !== 0 && Number(prefix) <= (version === 4 ? 32 : 128);
}
