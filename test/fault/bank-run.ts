/**
 * The bank test on the ledger (in the manner of Jepsen's bank test): many connections move
 * money between guarded accounts with the real posting rules, while a killer terminates
 * random connections of the database (and, on a private cluster, stops the server abruptly).
 * Every operation ends definite: posted (acknowledged), refused (the money was not there), or,
 * when its connection died before the answer, sent again under the same idempotency key until
 * it is one of those. A sampler watches that no guarded balance is ever below zero. After:
 * the journal holds exactly the acknowledged entries, every balance is what they add up to,
 * the total is what was put in less what was paid out, and checkLedger finds nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { postEntryInTrx, type Entry } from '#modules/ledger/index.ts';
import { checkBank, type BankCheck } from './bank-check.ts';
import {
  bankAccounts,
  fundingEntries,
  nextOperation,
  smallRefundDivisor,
  type OperationKind,
  type Refund,
} from './bank-operations.ts';
import type { PrivateCluster } from './crash-postgres.ts';
import { seededRandom } from './crash-stream.ts';

export type BankOptions = Readonly<{
  database: DatabaseHandle;
  /** An administrator's URL on the same server, for the killer. */
  adminUrl: string;
  databaseName: string;
  workers: number;
  operations: number;
  payers: number;
  invoices: number;
  seed: number;
  /** Terminate one random connection of the database this often. */
  connectionKillEveryMs: number;
  /** Stop the server abruptly this many times, spread over the run (private clusters only). */
  serverStops?: Readonly<{ cluster: PrivateCluster; count: number }>;
  progress: (line: string) => void;
}>;

export type BankFigures = {
  posted: number;
  refused: number;
  resent: number;
  connectionsKilled: number;
  serverStops: number;
  samples: number;
  byKind: Record<OperationKind, { posted: number; refused: number }>;
};

export type BankResult = Readonly<{ figures: BankFigures; check: BankCheck; seconds: number }>;

const resendPauseMs = 100;
const resendsMax = 600;

type Outcome = 'posted' | 'refused';

async function postUntilDefinite(options: BankOptions, entry: Entry, figures: BankFigures,
  problems: string[]): Promise<Outcome> {
  for (let attempt = 0; attempt < resendsMax; attempt += 1) {
    try {
      const result = await options.database.db.transaction()
        .execute((trx) => postEntryInTrx(trx, entry));
      if (result.ok) return 'posted';
      if (result.error.code === 'LEDGER_BALANCE_WOULD_GO_NEGATIVE') return 'refused';
      problems.push(`${entry.idempotencyKey}: ${result.error.code}`);
      return 'refused';
    } catch {
      // The connection died (killed, or the server stopped): the outcome is unknown until
      // the same entry is sent again.
      figures.resent += 1;
      await sleep(resendPauseMs);
    }
  }
  throw new Error(`${entry.idempotencyKey}: no definite outcome after ${resendsMax} sends`);
}

async function killer(options: BankOptions, running: () => boolean,
  figures: BankFigures): Promise<void> {
  while (running()) {
    await sleep(options.connectionKillEveryMs);
    const admin = new pg.Client({ connectionString: options.adminUrl });
    try {
      await admin.connect();
      const killed = await admin.query(`select pg_terminate_backend(pid) as killed
        from pg_stat_activity where datname = $1 and backend_type = 'client backend'
          and pid <> pg_backend_pid() order by random() limit 1`, [options.databaseName]);
      figures.connectionsKilled += killed.rowCount ?? 0;
    } catch {
      // The server is being stopped: try again later.
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
}

async function sampler(options: BankOptions, running: () => boolean, figures: BankFigures,
  problems: string[]): Promise<void> {
  while (running()) {
    try {
      const negative = await sql<{ code: string; balance: string }>`select l.account_code as code,
          sum(case when l.side = 'credit' then l.amount_minor else -l.amount_minor end)::text
            as balance
        from ledger_line l join ledger_account a on a.code = l.account_code
          and a.currency = l.currency
        where a.normal_side = 'credit' group by l.account_code
        having sum(case when l.side = 'credit' then l.amount_minor else -l.amount_minor end) < 0`
        .execute(options.database.db);
      figures.samples += 1;
      for (const row of negative.rows) {
        problems.push(`sample: ${row.code} at ${row.balance} minor units`);
      }
    } catch {
      // Its connection was killed: sample again.
    }
    await sleep(200);
  }
}

export async function runBankTest(options: BankOptions): Promise<BankResult> {
  const startedAt = Date.now();
  const accounts = bankAccounts(options.payers, options.invoices, 10_000_00n);
  const funding = fundingEntries(accounts, String(options.seed));
  const figures: BankFigures = { posted: 0, refused: 0, resent: 0, connectionsKilled: 0,
    serverStops: 0, samples: 0, byKind: Object.fromEntries(['credit-use', 'suspense-match',
      'refund-approve', 'refund-pay', 'refund-cancel'].map((kind) =>
      [kind, { posted: 0, refused: 0 }])) as BankFigures['byKind'] };
  const problems: string[] = [];
  const posted: Entry[] = [];
  for (const entry of funding) await postUntilDefinite(options, entry, figures, problems);
  // Approved refunds not yet paid or cancelled: small ones may be paid out, others cancelled.
  const refunds: Refund[] = [];
  const smallRefunds: Refund[] = [];
  let started = 0;
  let done = 0;
  let running = true;
  const worker = async (index: number) => {
    const random = seededRandom(options.seed * 1000 + index);
    while (started < options.operations) {
      started += 1;
      const operation = nextOperation(accounts, random, (size) => {
        const from = size === 'small' ? smallRefunds : refunds;
        return from.splice(Math.floor(random() * from.length), 1)[0];
      });
      const outcome = await postUntilDefinite(options, operation.entry, figures, problems);
      figures[outcome] += 1;
      figures.byKind[operation.kind][outcome] += 1;
      if (outcome === 'posted') posted.push(operation.entry);
      const refund = operation.refund;
      if (operation.kind === 'refund-approve' && outcome === 'posted' && refund !== undefined) {
        const small = refund.amount.amountMinor * smallRefundDivisor <= accounts.startMinor;
        (small ? smallRefunds : refunds).push(refund);
      }
      if ((operation.kind === 'refund-pay' || operation.kind === 'refund-cancel') &&
        outcome === 'refused') {
        problems.push(`${operation.entry.idempotencyKey}: an approved refund refused`);
      }
      done += 1;
      if (done % 500 === 0) {
        options.progress(`bank: ${done}/${options.operations} operations, ${figures.posted} ` +
          `posted, ${figures.refused} refused, ${figures.resent} re-sent, ` +
          `${figures.connectionsKilled} connections killed`);
      }
    }
  };
  const background = [killer(options, () => running, figures),
    sampler(options, () => running, figures, problems)];
  // The server stops are spread evenly over the operations.
  const stops = (async () => {
    const plan = options.serverStops;
    if (plan === undefined) return;
    for (let stop = 1; stop <= plan.count; stop += 1) {
      const threshold = Math.floor(options.operations * stop / (plan.count + 1));
      while (running && done < threshold) await sleep(100);
      if (!running) return;
      await plan.cluster.crash(stop % 2 === 1 ? 'sigkill' : 'immediate');
      await sleep(300);
      await plan.cluster.start();
      figures.serverStops += 1;
      options.progress(`bank: PostgreSQL stopped abruptly (${figures.serverStops}/${plan.count})`);
    }
  })();
  await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  running = false;
  await Promise.all([...background, stops]);
  const check = await checkBank(options.database.db, { funding, posted, problems });
  return { figures, check, seconds: (Date.now() - startedAt) / 1000 };
}
