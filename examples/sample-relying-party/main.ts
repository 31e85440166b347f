/**
 * Runs the sample relying party (README.md):
 *
 *   SAMPLE_RP_CLIENT_ID=hc_... SAMPLE_RP_CLIENT_SECRET=... \
 *     node examples/sample-relying-party/main.ts --port 4200 --issuer http://localhost:3000/oidc
 *
 * The client id and secret are shown once by Huduma's staff page when a platform
 * administrator registers the client, with http://127.0.0.1:4200/callback as its redirect
 * address and http://127.0.0.1:4200/ as its address after sign-out.
 */
import { parseArgs } from 'node:util';
import { startSampleRelyingParty } from './sample-relying-party.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4200' },
    host: { type: 'string', default: '127.0.0.1' },
    issuer: { type: 'string', default: 'http://localhost:3000/oidc' },
    scope: { type: 'string', default: 'openid profile' },
  },
});

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    process.stderr.write(`${name} is not set\n`);
    process.exit(2);
  }
  return value;
}

const party = await startSampleRelyingParty({ issuer: values.issuer, scope: values.scope,
  clientId: required('SAMPLE_RP_CLIENT_ID'), clientSecret: required('SAMPLE_RP_CLIENT_SECRET'),
  host: values.host, port: Number(values.port) });
process.stdout.write(`Sample relying party listening at ${party.url}\n`);
