/**
 * `huduma daraja-emulator [--port 4010]`: the fake Safaricom on its own port, for demos and
 * for testing a platform started elsewhere (HUDUMA_MPESA_BASE_URL=http://127.0.0.1:4010).
 * It accepts the same HUDUMA_MPESA_* credentials as the platform; refused in production.
 */
import { loadConfig } from '#config';
import {
  createDarajaEmulator,
  defaultTiming,
  emulatorAccountsFromConfig,
  scenarioTable,
  startDarajaEmulatorServer,
} from '#modules/daraja-emulator/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import type { CliCommand } from './cli-command.ts';

const usage = 'huduma daraja-emulator [--port 4010] [--host 127.0.0.1] [--stk-delay-ms 3000] ' +
  '[--validation-timeout-ms 8000]';

type Options = Readonly<{
  port: number; host: string; stkDelayMs: number; validationTimeoutMs: number;
}>;

const numberFlags = {
  '--port': { max: 65_535 },
  '--stk-delay-ms': { max: 600_000 },
  '--validation-timeout-ms': { max: 60_000 },
} as const;

export function parseEmulatorArguments(args: readonly string[]): Options | string {
  const values: Record<string, string> = {};
  for (let index = 0; index < args.length; index += 2) {
    const flag = args[index] ?? '';
    const value = args[index + 1];
    if (!(flag in numberFlags) && flag !== '--host') return `unknown option "${flag}"`;
    if (value === undefined) return `${flag} needs a value`;
    if (flag in numberFlags) {
      const { max } = numberFlags[flag as keyof typeof numberFlags];
      if (!/^\d{1,6}$/.test(value) || Number(value) > max) {
        return `${flag} must be a whole number from 0 to ${max}`;
      }
    }
    values[flag] = value;
  }
  return {
    port: Number(values['--port'] ?? 4010),
    host: values['--host'] ?? '127.0.0.1',
    stkDelayMs: Number(values['--stk-delay-ms'] ?? defaultTiming.stkCompletionDelayMs),
    validationTimeoutMs: Number(values['--validation-timeout-ms'] ??
      defaultTiming.validationTimeoutMs),
  };
}

function describe(baseUrl: string, shortcode: string): string {
  const digits = scenarioTable.map((row) => `  ...${row.lastDigits}  ${row.meaning}`);
  return [
    `Daraja emulator at ${baseUrl} (paybill ${shortcode})`,
    `Point the platform at it: HUDUMA_MPESA_BASE_URL=${baseUrl} npm start`,
    'It accepts the HUDUMA_MPESA_* consumer key, secret and passkey (the emulator defaults',
    'unless set). The payer phone number\'s last four digits choose what happens:',
    ...digits,
    '  (any other number pays successfully)',
    `State: ${baseUrl}/_state   Statement: ${baseUrl}/_statement.csv   Ctrl-C to stop.`,
    '',
  ].join('\n');
}

export const darajaEmulatorCommand: CliCommand = {
  words: ['daraja-emulator'],
  usage: 'huduma daraja-emulator [--port 4010]',
  summary: 'Run the fake Safaricom (Daraja emulator) on its own port; not in production.',
  run: async (args) => {
    const options = parseEmulatorArguments(args);
    if (typeof options === 'string') {
      process.stderr.write(`huduma daraja-emulator: ${options}\nUsage: ${usage}\n`);
      return 2;
    }
    // The emulator's credentials default as when it runs inside the app; in production
    // loadConfig refuses (ConfigError), as it refuses the in-process emulator.
    const config = loadConfig({ ...process.env, HUDUMA_MPESA_EMULATOR: 'true' });
    const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
    const emulator = createDarajaEmulator({
      ...emulatorAccountsFromConfig(config.mpesa),
      timing: { stkCompletionDelayMs: options.stkDelayMs,
        validationTimeoutMs: options.validationTimeoutMs },
      logger,
    });
    const server = await startDarajaEmulatorServer({
      emulator, port: options.port, host: options.host, logger,
    });
    process.stdout.write(describe(server.baseUrl, config.mpesa.shortcode));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  },
};
