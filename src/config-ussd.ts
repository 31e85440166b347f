/** The USSD channel's part of the configuration (HUDUMA_USSD_*; docs/ussd.md). */
import { randomBytes } from 'node:crypto';
import {
  readBoolean,
  readCidrList,
  readWholeNumber,
  type Env,
  type Environment,
} from './config-readers.ts';

export type UssdConfig = Readonly<{
  /**
   * The secret path segment the gateway calls (POST /ussd/<gateway>/<token>). Undefined: the
   * gateway endpoint is off (production without HUDUMA_USSD_GATEWAY_TOKEN).
   */
  gatewayToken: string | undefined;
  /** CIDR ranges the gateway may call from; empty: any address holding the token. */
  allowedSources: readonly string[];
  /** The HMAC key phone numbers are stored under (never the numbers themselves). */
  phoneKey: string;
  /** A session idle longer than this ends with END; the next dial starts afresh. */
  sessionIdleSeconds: number;
  /** Lookups (bills, receipts, applications, documents) a phone may make in an hour. */
  lookupsPerHour: number;
  /** The browser simulator page (/ussd/simulator); refused in production. */
  simulator: boolean;
}>;

const tokenPattern = /^[A-Za-z0-9_-]{24,128}$/;
/** Outside production only: stable, so a developer's language choice survives restarts. */
const developmentPhoneKey = 'huduma-ussd-development-phone-key';

export function readUssdConfig(env: Env, environment: Environment, problems: string[]):
  UssdConfig {
  const production = environment === 'production';
  const given = env.HUDUMA_USSD_GATEWAY_TOKEN;
  const gatewayToken = given === undefined || given === ''
    ? (production ? undefined : randomBytes(24).toString('hex')) : given;
  if (gatewayToken !== undefined && !tokenPattern.test(gatewayToken)) {
    problems.push('HUDUMA_USSD_GATEWAY_TOKEN must be 24 to 128 of A-Z a-z 0-9 _ -');
  }
  const phoneKey = env.HUDUMA_USSD_PHONE_KEY ?? (production ? '' : developmentPhoneKey);
  if (gatewayToken !== undefined && !tokenPattern.test(phoneKey)) {
    problems.push('HUDUMA_USSD_PHONE_KEY must be 24 to 128 of A-Z a-z 0-9 _ -' +
      (production ? ' (required in production with HUDUMA_USSD_GATEWAY_TOKEN)' : ''));
  }
  const simulator = readBoolean(env, 'HUDUMA_USSD_SIMULATOR', !production, problems);
  if (simulator && production) {
    problems.push('HUDUMA_USSD_SIMULATOR cannot be on in production (it plays the gateway)');
  }
  return Object.freeze({
    gatewayToken,
    allowedSources: readCidrList(env, 'HUDUMA_USSD_ALLOWED_SOURCES',
      { fallback: [], example: '196.201.214.0/24' }, problems),
    phoneKey,
    sessionIdleSeconds: readWholeNumber(env, 'HUDUMA_USSD_SESSION_IDLE_SECONDS', 120,
      { min: 10, max: 600 }, problems),
    lookupsPerHour: readWholeNumber(env, 'HUDUMA_USSD_LOOKUPS_PER_HOUR', 30,
      { min: 1, max: 1_000_000 }, problems),
    simulator,
  });
}
