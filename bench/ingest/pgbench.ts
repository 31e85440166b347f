/**
 * pgbench running the platform's per-payment SQL transaction, statement for statement, one
 * payment per transaction (what the platform does for a batch of one): store the raw callback,
 * lock the invoice, then read its allocations and lines (a statement of its own, as the app
 * does, since a statement that waited for a lock reads an old snapshot), read the payments of
 * its keys, insert the payment, post the receipt and coverage entries together (create-or-lock
 * the debited deposits account; entries under their keys with its balance; one insert of both
 * with their accounts), write allocation (whose trigger queues the receipt, as in the app),
 * event and outcome, look up whom to tell and queue the SMS with its delivery event, lock the
 * audit chain's head and append the record moving the head, commit. The platform's answer to
 * the same work is to let many confirmations share one transaction and one commit, and to do
 * its own reads and writes once per batch rather than once per payment.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { benchIds } from './bench-db.ts';

/**
 * pgbench (extended protocol) reads ":word" anywhere, string literals included, as a
 * parameter; account codes and keys are therefore joined with concat_ws, never written whole.
 */
const colonJoined = (...parts: string[]) => `concat_ws(':', ${parts.join(', ')})`;
const deposits = colonJoined(`'deposits'`, `'invoice'`, '(:invoice_id)::uuid');
const payable = colonJoined(`'payable'`, `'agency'`, `'${benchIds.agency}'`);
const collection = colonJoined(`'collection'`, `'mpesa'`, `'222222'`);
const accessFee = colonJoined(`'revenue'`, `'access-fee'`);
const receipt = `'PGB' || (:n)::bigint`;
const providerReceipt = colonJoined(`'mpesa'`, receipt);
const receiptKey = colonJoined(`'mpesa'`, receipt, `'receipt'`);
const coveredKey = colonJoined(`'invoice'`, '(:invoice_id)::uuid', `'covered'`);
const kind = (left: string, right: string) => colonJoined(`'${left}'`, `'${right}'`);

/** The transaction, as the platform runs it for a confirmation that pays an invoice. */
export const paymentTransactionScript = `
select nextval('bench_pgbench_seq') as n \\gset
select id as invoice_id, reference as ref from bench_invoice where n = (:n)::bigint \\gset
BEGIN;
insert into payment_callback_raw (id, kind, received_at, source_address, headers, body)
  values (gen_random_uuid(), 'mpesa_c2b_confirmation', now(), '127.0.0.1', '{}'::jsonb,
    '{"TransID":"PGB' || (:n)::bigint || '","TransAmount":"1050.00","BillRefNumber":"'
      || (:ref)::text || '"}')
  returning id as raw_id \\gset
select id from invoice where reference in ((:ref)::text) order by id for update;
select id, reference, currency, total_minor, expires_at, cancelled_at,
  (select coalesce(sum(a.amount_minor), 0) from payment_allocation a
    where a.invoice_id = invoice.id)::text as allocated_minor,
  (select coalesce(sum(l.amount_minor), 0) from invoice_line l
    where l.invoice_id = invoice.id and l.kind <> 'access_fee')::text as agency_minor,
  (select coalesce(sum(l.amount_minor), 0) from invoice_line l
    where l.invoice_id = invoice.id and l.kind = 'access_fee')::text as access_fee_minor
  from invoice where id in ((:invoice_id)::uuid) order by id;
select id, provider_reference, checkout_request_id from payment
  where provider = 'mpesa' and provider_reference in (${receipt})
  for update;
insert into payment (id, provider, provider_reference, channel, shortcode, amount_minor,
    currency, account_reference, invoice_id, payer_account_id, disposition, paid_at,
    recorded_at)
  values (gen_random_uuid(), 'mpesa', ${receipt}, 'mpesa_c2b', '222222', 105000, 'KES',
    (:ref)::text, (:invoice_id)::uuid, '${benchIds.payer}', 'allocated', now(), now())
  on conflict do nothing returning id as payment_id \\gset
insert into ledger_account (code, currency, kind, type, normal_side) values
  (${deposits}, 'KES', ${kind('deposits', 'invoice')}, 'liability', 'credit')
  on conflict (code, currency) do update set kind = excluded.kind where false;
select
  (select coalesce(json_agg(x order by x.id, x.line_number), '[]'::json) from (
    select e.id, e.code, e.currency, e.idempotency_key, e.corrects_entry_id, e.reference,
      e.occurred_at, e.recorded_at, l.account_code, l.side, l.amount_minor::text,
      l.currency as line_currency, l.line_number
    from ledger_entry e join ledger_line l on l.entry_id = e.id
    where e.idempotency_key in (${receiptKey}, ${coveredKey})) x) as entries,
  (select coalesce(json_agg(n), '[]'::json) from (
    select account_code, currency,
      sum(case when side = 'debit' then amount_minor else -amount_minor end)::text as net
    from ledger_line where (account_code, currency) in ((${deposits}, 'KES'))
    group by account_code, currency) n) as nets;
with new_account as (
  insert into ledger_account (code, currency, kind, type, normal_side) values
    (${collection}, 'KES', ${kind('collection', 'mpesa')}, 'asset', 'debit'),
    (${deposits}, 'KES', ${kind('deposits', 'invoice')}, 'liability', 'credit'),
    (${payable}, 'KES', ${kind('payable', 'agency')}, 'liability', 'credit'),
    (${accessFee}, 'KES', ${accessFee}, 'liability', 'credit')
  on conflict do nothing),
new_entry as (
  insert into ledger_entry (id, code, currency, idempotency_key, reference, occurred_at)
  values (gen_random_uuid(), 'RECEIPT_ALLOCATED_TO_INVOICE', 'KES', ${receiptKey},
      jsonb_build_object('providerReceipt', ${providerReceipt},
        'paymentId', (:payment_id)::uuid, 'invoiceId', (:invoice_id)::uuid), now()),
    (gen_random_uuid(), 'INVOICE_COVERED', 'KES', ${coveredKey},
      jsonb_build_object('invoiceId', (:invoice_id)::uuid), now())
  on conflict do nothing returning id, code)
insert into ledger_line (entry_id, line_number, account_code, currency, side, amount_minor)
  select new_entry.id, line.n, line.code, 'KES', line.side, line.amount from new_entry
  join (values ('RECEIPT_ALLOCATED_TO_INVOICE', 1::smallint, ${collection}, 'debit',
      105000::int8),
    ('RECEIPT_ALLOCATED_TO_INVOICE', 2::smallint, ${deposits}, 'credit', 105000::int8),
    ('INVOICE_COVERED', 1::smallint, ${deposits}, 'debit', 105000::int8),
    ('INVOICE_COVERED', 2::smallint, ${payable}, 'credit', 100000::int8),
    ('INVOICE_COVERED', 3::smallint, ${accessFee}, 'credit', 5000::int8))
    as line (entry_code, n, code, side, amount) on line.entry_code = new_entry.code
  returning entry_id;
with new_allocation as (
  insert into payment_allocation (id, invoice_id, source, payment_id, amount_minor, currency,
    allocated_at)
  values (gen_random_uuid(), (:invoice_id)::uuid, 'payment', (:payment_id)::uuid, 105000,
    'KES', now())),
new_event as (
  insert into payment_event (id, payment_id, kind, raw_id, amount_minor, account_reference,
    recorded_at)
  values (gen_random_uuid(), (:payment_id)::uuid, 'CONFIRMED_BY_C2B_CONFIRMATION',
    (:raw_id)::uuid, 105000, (:ref)::text, now()))
insert into payment_callback_outcome (raw_id, outcome, processed_at)
  values ((:raw_id)::uuid, 'payment_recorded', now()) on conflict (raw_id) do nothing;
select a.id as represented, a.id, a.phone, a.email, a.code_channel, a.language, 0 as rank,
    a.created_at as since
  from account a where a.id in ('${benchIds.payer}'::uuid)
union all
select r.represented_account_id, a.id, a.phone, a.email, a.code_channel, a.language, 1,
    r.confirmed_at
  from account_representative r join account a on a.id = r.representative_account_id
  where r.represented_account_id in ('${benchIds.payer}'::uuid)
order by represented, rank, since, id;
with queued as (
  insert into notification (id, channel, recipient, template, language, subject, body,
      account_id, created_at, updated_at)
    values (gen_random_uuid(), 'sms', '+254700000001', 'payments.payment-received', 'sw', null,
      'Huduma: tumepokea KES 1,050.00 kwa bili ' || (:ref)::text || '. Risiti PGB'
        || (:n)::bigint || '. Asante.', '${benchIds.payer}', now(), now())
    returning id)
insert into outbox_event (id, topic, payload, created_at, available_at)
  select gen_random_uuid(), 'notification.deliver',
    jsonb_build_object('notificationId', queued.id), now(), now() from queued;
select sequence as last_sequence, hash as last_hash from audit_chain_head for update \\gset
with appended as (
  insert into audit_record (sequence, occurred_at, action, actor_kind, actor_id, subject_type,
      subject_id, agency_id, detail, previous_hash, hash)
    values ((:last_sequence)::bigint + 1, now(), 'PAYMENT_ALLOCATED_TO_INVOICE', 'system',
      'mpesa', 'payment', (:payment_id)::uuid, '${benchIds.agency}',
      jsonb_build_object('receipt', ${receipt}), (:last_hash)::text,
      encode(sha256(convert_to((:last_hash)::text || (:payment_id)::uuid, 'UTF8')), 'hex'))
    returning sequence, hash)
update audit_chain_head set sequence = appended.sequence, hash = appended.hash from appended;
END;
`;

/** Numbers the prepared invoices so each transaction pays a different one (pgbench, PGlite). */
export const paymentTransactionPreparation: readonly string[] = [
  `create table bench_invoice as
    select row_number() over (order by reference) as n, id, reference from invoice`,
  'alter table bench_invoice add primary key (n)',
  'create sequence bench_pgbench_seq',
];

/**
 * The commit limit: one row of a small payload into a one-table database (no index other than
 * its bigserial key, no trigger), one row per transaction; what PostgreSQL on this machine
 * commits when each transaction does nearly nothing else.
 */
export const oneRowInsertPreparation: readonly string[] = [
  'create table bench_one_row (id bigserial primary key, payload text not null)',
];
export const oneRowInsertScript =
  `insert into bench_one_row (payload) values ('C2B confirmation 0123456789abcdef');\n`;

async function runStatements(url: string, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

export const preparePgbench = (url: string) => runStatements(url, paymentTransactionPreparation);
export const prepareOneRowInsert = (url: string) => runStatements(url, oneRowInsertPreparation);

export type PgbenchReport = Readonly<{ clients: number; transactionsPerSecond: number;
  transactions: number; failed: boolean; output: string }>;

/**
 * Runs pgbench for `seconds` with `clients` connections (extended protocol, as the app), the
 * per-payment transaction unless another script is given.
 */
export async function runPgbench(url: string, clients: number, seconds: number,
  scriptText = paymentTransactionScript): Promise<PgbenchReport> {
  const script = path.join(os.tmpdir(), `huduma-ingest-${process.pid}.sql`);
  await writeFile(script, scriptText);
  const args = ['-n', '-M', 'extended', '-c', String(clients),
    '-j', String(Math.min(clients, os.availableParallelism())), '-T', String(seconds),
    '-f', script, url];
  const child = spawn(process.env.HUDUMA_PGBENCH ?? 'pgbench', args,
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  const count = /number of transactions actually processed: (\d+)/.exec(output);
  return {
    clients,
    transactionsPerSecond: tps === null ? 0 : Number(tps[1]),
    transactions: count === null ? 0 : Number(count[1]),
    failed: code !== 0,
    output,
  };
}
