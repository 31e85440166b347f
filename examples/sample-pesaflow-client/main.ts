/**
 * Runs the sample Pesaflow-style client against Huduma (README.md): it checks out one bill,
 * prints the answer (invoice_number, invoice_link, commission, amount_net, amount_expected),
 * then waits for the payment notification and polls the status until the bill is paid.
 *
 *   HUDUMA_URL=http://localhost:3000 PESAFLOW_API_CLIENT_ID=12345678 PESAFLOW_API_KEY=pfk_...\
 *   PESAFLOW_SECRET=pfs_... node examples/sample-pesaflow-client/main.ts \
 *     --service <service slug or id> --amount 100.00 --reference INV-1 --port 4200
 *
 * --encoding raw-base64 and --recipe ref-invoice-amount-date follow the client's settings.
 * The IPN reaches it at http://127.0.0.1:<port>/ipn: Huduma must be able to reach that port.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startSamplePesaflowClient, type Encoding, type Recipe } from './pesaflow-client.ts';

const { values } = parseArgs({ options: {
  service: { type: 'string', default: '' },
  amount: { type: 'string', default: '100.00' },
  reference: { type: 'string', default: `INV-${Date.now().toString(36)}` },
  port: { type: 'string', default: '4200' },
  encoding: { type: 'string', default: 'hex-base64' },
  recipe: { type: 'string', default: 'invoice-amount' },
  phone: { type: 'string' },
} });

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    process.stderr.write(`${name} is not set\n`);
    process.exit(2);
  }
  return value;
}

const client = await startSamplePesaflowClient({ baseUrl: required('HUDUMA_URL'),
  port: Number.parseInt(values.port, 10), keys: {
    apiClientID: required('PESAFLOW_API_CLIENT_ID'), apiKey: required('PESAFLOW_API_KEY'),
    secret: required('PESAFLOW_SECRET'), encoding: values.encoding as Encoding,
    recipe: values.recipe as Recipe } });
const answer = await client.checkout({ billRefNumber: values.reference,
  amountExpected: values.amount, serviceID: values.service, billDesc: 'Sample bill',
  clientName: 'Sample Payer', clientIDNumber: '12345678',
  ...(values.phone === undefined ? {} : { clientMSISDN: values.phone, sendSTK: true }) });
process.stdout.write(`${answer.status} ${JSON.stringify(answer.body, null, 2)}\n`);
const invoiceNumber = (answer.body as { invoice_number?: string }).invoice_number;
if (answer.status >= 300 || invoiceNumber === undefined) {
  await client.close();
  process.exit(1);
}
for (;;) {
  const status = await client.pollStatus(invoiceNumber);
  process.stdout.write(`status: ${JSON.stringify(status.body)}; IPNs: ${
    JSON.stringify(client.ipns)}\n`);
  if ((status.body as { status?: string }).status === 'paid') break;
  await sleep(10_000);
}
await client.close();
