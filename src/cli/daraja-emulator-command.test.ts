import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '#config';
import { parseEmulatorArguments } from './daraja-emulator-command.ts';

const cli = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('huduma daraja-emulator', () => {
  it('reads its options and refuses bad ones', () => {
    assert.deepEqual(parseEmulatorArguments([]),
      { port: 4010, host: '127.0.0.1', stkDelayMs: 3_000, validationTimeoutMs: 8_000 });
    assert.deepEqual(parseEmulatorArguments(['--port', '0', '--stk-delay-ms', '500']),
      { port: 0, host: '127.0.0.1', stkDelayMs: 500, validationTimeoutMs: 8_000 });
    assert.match(String(parseEmulatorArguments(['--port', '70000'])), /--port must be/);
    assert.match(String(parseEmulatorArguments(['--port'])), /needs a value/);
    assert.match(String(parseEmulatorArguments(['--colour', 'red'])), /unknown option/);
  });

  it('serves Daraja on its own port until stopped, with the platform\'s credentials',
    async () => {
      const child = spawn(process.execPath, [cli, 'daraja-emulator', '--port', '0'], {
        env: { ...process.env, HUDUMA_ENV: 'development', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let output = '';
        child.stdout.setEncoding('utf8');
        const baseUrl = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no address in: ${output}`)), 20_000);
          child.stdout.on('data', (chunk: string) => {
            output += chunk;
            const match = /Daraja emulator at (http:\/\/\S+)/.exec(output);
            if (match?.[1] !== undefined) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
        });
        assert.match(output, /\.\.\.1032 {2}cancelled by the payer/);
        const { mpesa } = loadConfig({ HUDUMA_ENV: 'development' });
        const basic = Buffer.from(`${mpesa.consumerKey}:${mpesa.consumerSecret}`)
          .toString('base64');
        const token = await fetch(`${baseUrl}/oauth/v1/generate?grant_type=client_credentials`,
          { headers: { authorization: `Basic ${basic}` } });
        assert.equal(token.status, 200);
        child.kill('SIGTERM');
        const [code] = await once(child, 'exit') as [number | null];
        assert.equal(code, 0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

  it('refuses to run in production', async () => {
    const child = spawn(process.execPath, [cli, 'daraja-emulator', '--port', '0'], {
      env: { ...process.env, HUDUMA_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      errors += chunk;
    });
    const [code] = await once(child, 'exit') as [number | null];
    assert.equal(code, 1);
    assert.match(errors, /HUDUMA_MPESA_EMULATOR cannot be on in production/);
  });
});
