/**
 * Runs the sample agency system (README.md):
 *
 *   node examples/sample-agency/main.ts --port 4100 --prefix KP
 *   node examples/sample-agency/main.ts --port 4100 --mode slow --slow-ms 5000   (or --mode down)
 *   node examples/sample-agency/main.ts create-invoice --reference A-1 --service <slug> \
 *     --payer <account id>
 *
 * Secrets and the platform come from the environment: SAMPLE_AGENCY_LOOKUP_SECRET and
 * SAMPLE_AGENCY_WEBHOOK_SECRET (shown once by Huduma's pages), HUDUMA_URL and
 * HUDUMA_API_KEY (for create-invoice). A few bills are made at start and printed.
 */
import { parseArgs } from 'node:util';
import { newBillReference } from './bill-references.ts';
import { createPlatformInvoice, startSampleAgency, type Bill } from './sample-agency.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '4100' },
    host: { type: 'string', default: '127.0.0.1' },
    prefix: { type: 'string', default: 'KP' },
    reference: { type: 'string' },
    service: { type: 'string' },
    payer: { type: 'string' },
    mode: { type: 'string', default: 'normal' },
    'slow-ms': { type: 'string', default: '5000' },
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

if (positionals[0] === 'create-invoice') {
  const created = await createPlatformInvoice({ platformUrl: required('HUDUMA_URL'),
    apiKey: required('HUDUMA_API_KEY'), agencyReference: values.reference ?? '',
    service: values.service ?? '', payerAccountId: values.payer ?? '' });
  process.stdout.write(`${created.status} ${JSON.stringify(created.body, null, 2)}\n`);
  process.exit(created.status < 300 ? 0 : 1);
}

const bills = new Map<string, Bill>();
for (const shillings of [1_500n, 2_750n, 10_000n]) {
  bills.set(newBillReference(values.prefix), { amountDueMinor: shillings * 100n,
    currency: 'KES' });
}
const agency = await startSampleAgency({ port: Number.parseInt(values.port, 10),
  host: values.host, lookupSecret: required('SAMPLE_AGENCY_LOOKUP_SECRET'),
  webhookSecret: required('SAMPLE_AGENCY_WEBHOOK_SECRET'), bills });
const mode = values.mode;
if (mode === 'slow' || mode === 'down') {
  agency.setMode(mode, Number.parseInt(values['slow-ms'], 10));
}
process.stdout.write(`sample agency (${mode}) at ${agency.url}\n` +
  `  bill lookup: ${agency.lookupUrl}\n  webhooks:    ${agency.webhookUrl}\n  bills:\n`);
for (const [reference, bill] of agency.bills) {
  process.stdout.write(`    ${reference}  ${bill.currency} ${bill.amountDueMinor / 100n}\n`);
}
const stop = () => {
  void agency.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
