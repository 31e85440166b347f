/**
 * A catalogue change reaches every process's search index: a service is added and another
 * renamed (one statement each, as an import or an administrator would), then each process is
 * asked, every 200 ms, until its search finds both. Each process rebuilds its own index when
 * it sees catalogue_version move (checked at most every refreshCheckIntervalMsDefault).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { fixtureIds } from '#test/helpers/payments.ts';

export type SearchPropagation = Readonly<{
  process: number;
  /** From the changes' commit to the first answer that shows it; undefined: never. */
  insertedMs: number | undefined;
  renamedMs: number | undefined;
}>;

const pollIntervalMs = 200;
const giveUpMs = 30_000;
export const addedServiceSlug = 'scale-out-zebrafish-licence';
const permitSlug = 'fixture-permit';

async function finds(url: string, query: string, slug: string): Promise<boolean> {
  const answer = await fetch(`${url}/api/v1/services?q=${encodeURIComponent(query)}`,
    { signal: AbortSignal.timeout(5_000) });
  if (answer.status !== 200) return false;
  const body = await answer.json() as { items?: { slug?: string }[] };
  return (body.items ?? []).some((item) => item.slug === slug);
}

async function watch(url: string, process: number, changedAt: number):
  Promise<SearchPropagation> {
  let insertedMs: number | undefined;
  let renamedMs: number | undefined;
  while ((insertedMs === undefined || renamedMs === undefined) &&
    Date.now() - changedAt < giveUpMs) {
    if (insertedMs === undefined && await finds(url, 'zebrafish', addedServiceSlug)) {
      insertedMs = Date.now() - changedAt;
    }
    if (renamedMs === undefined && await finds(url, 'okapi', permitSlug)) {
      renamedMs = Date.now() - changedAt;
    }
    await sleep(pollIntervalMs);
  }
  return { process, insertedMs, renamedMs };
}

export async function measureSearchPropagation(database: DatabaseHandle,
  urls: readonly string[]): Promise<SearchPropagation[]> {
  for (const url of urls) {
    if (await finds(url, 'zebrafish', addedServiceSlug)) {
      throw new Error('the new service is found before it is added');
    }
  }
  await sql`insert into service (id, agency_id, slug, name_en, name_sw, description_en,
      description_sw, service_url, sla_days, origin, source_id, form_schema)
    values (${uuidv7()}, ${fixtureIds.agency}, ${addedServiceSlug}, 'Zebrafish breeding licence',
      null, null, null, null, 10, 'demo', null, null)`.execute(database.db);
  await sql`update service set name_en = 'Okapi sanctuary permit' where slug = ${permitSlug}`
    .execute(database.db);
  const changedAt = Date.now();
  return Promise.all(urls.map((url, index) => watch(url, index, changedAt)));
}
