/**
 * The experiment behind docs/decisions/0001-search-engine.md: the same query mix against
 * (a) PostgreSQL full-text search (weighted tsvector over service, agency and ministry text,
 * 'simple' configuration with unaccent, prefix tsquery, GIN index; typos corrected through
 * pg_trgm on a table of the distinct words, as the pg_trgm documentation suggests) and
 * (b) the in-process index, on the same database. Sequential queries, one at a time.
 *
 *   node bench/search/experiment-engines.ts --services 23000 --database postgres
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createServiceSearch } from '../../src/modules/catalogue/search/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { equivalentTerms } from '../../src/modules/catalogue/search/search-glossary.ts';
import { queryWords } from '../../src/modules/catalogue/search/search-text.ts';
import { benchDatabase, prepareBenchData, repositoryRoot } from './bench-database.ts';
import { buildQueryMix, percentile, type MixQuery } from './query-mix.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '23000' },
    database: { type: 'string', default: 'postgres' },
    queries: { type: 'string', default: '400' },
  },
});
const target = Number(values.services);
const kind = values.database === 'pglite' ? 'pglite' : 'postgres';
const database = benchDatabase(kind, target);
await prepareBenchData(database, target,
  path.resolve(repositoryRoot, '..', 'shared', 'data', 'ecitizen-catalogue'));
const handle = await database.open();
const db = handle.db as unknown as Kysely<unknown>;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const startedAt = performance.now();
  const result = await work();
  return [result, performance.now() - startedAt];
}

async function setUpFullText(): Promise<number> {
  const [, ms] = await timed(async () => {
    await sql`drop table if exists fts_service`.execute(db);
    await sql`drop table if exists fts_word`.execute(db);
    await sql`create table fts_service as
      select s.id, a.id as agency_id, a.ministry_id, s.name_en,
        setweight(to_tsvector('simple', unaccent(s.name_en || ' ' || coalesce(s.name_sw, ''))), 'A')
        || setweight(to_tsvector('simple', unaccent(a.name_en || ' ' || coalesce(a.name_sw, '')
          || ' ' || m.name_en || ' ' || coalesce(m.name_sw, ''))), 'B')
        || setweight(to_tsvector('simple', unaccent(coalesce(s.description_en, '') || ' '
          || coalesce(s.description_sw, ''))), 'C')
        || setweight(to_tsvector('simple', unaccent(coalesce(a.description_en, '') || ' '
          || coalesce(m.description_en, ''))), 'D') as document
      from service s join agency a on a.id = s.agency_id join ministry m on m.id = a.ministry_id`
      .execute(db);
    await sql`create index fts_service_document_idx on fts_service using gin (document)`
      .execute(db);
    await sql`create index fts_service_name_idx on fts_service (name_en, id)`.execute(db);
    await sql`create index fts_service_ministry_idx on fts_service (ministry_id)`.execute(db);
    await sql`create index fts_service_agency_idx on fts_service (agency_id)`.execute(db);
    await sql`create table fts_word as
      select word, ndoc from ts_stat('select document from fts_service')`.execute(db);
    await sql`create index fts_word_trgm_idx on fts_word using gin (word gin_trgm_ops)`
      .execute(db);
    await sql`analyze fts_service`.execute(db);
    await sql`analyze fts_word`.execute(db);
  });
  return ms;
}

const slugIds = new Map<string, string>();
async function idOfSlug(table: 'ministry' | 'agency', slug: string): Promise<string> {
  const key = `${table}:${slug}`;
  let id = slugIds.get(key);
  if (id === undefined) {
    const result = await sql<{ id: string }>`select id from ${sql.table(table)}
      where slug = ${slug}`.execute(db);
    id = result.rows[0]?.id ?? '00000000-0000-0000-0000-000000000000';
    slugIds.set(key, id);
  }
  return id;
}

/** One query the PostgreSQL way: tsquery with prefixes, trigram corrections, rank, page. */
async function fullTextQuery(query: MixQuery): Promise<number> {
  const groups: string[] = [];
  for (const word of queryWords(query.text)) {
    const variants = new Set([`'${word.typed}':*`, `'${word.term}'`]);
    for (const other of equivalentTerms(word.term)) variants.add(`'${other}'`);
    if (word.term.length >= 4) {
      const fixes = await sql<{ word: string }>`select word from fts_word
        where word % ${word.term} order by word <-> ${word.term} limit 3`.execute(db);
      for (const fix of fixes.rows) variants.add(`'${fix.word.replaceAll("'", '')}'`);
    }
    groups.push(`(${[...variants].join(' | ')})`);
  }
  const filters = [];
  if (query.ministrySlug !== undefined) {
    filters.push(sql`ministry_id = ${await idOfSlug('ministry', query.ministrySlug)}`);
  }
  if (query.agencySlug !== undefined) {
    filters.push(sql`agency_id = ${await idOfSlug('agency', query.agencySlug)}`);
  }
  const offset = (query.page - 1) * query.pageSize;
  const where = filters.length === 0 ? sql`true` : sql.join(filters, sql` and `);
  const rows = groups.length === 0
    ? await sql<{ id: string; total: bigint }>`select id, count(*) over () as total
        from fts_service where ${where} order by name_en, id
        limit ${query.pageSize} offset ${offset}`.execute(db)
    : await sql<{ id: string; total: bigint }>`with q as (
          select to_tsquery('simple', ${groups.join(' & ')}) as q)
        select id, count(*) over () as total from fts_service, q
        where document @@ q.q and ${where}
        order by ts_rank(document, q.q, 0) desc, name_en limit ${query.pageSize} offset ${offset}`
      .execute(db);
  const ids = rows.rows.map((row) => row.id);
  if (ids.length > 0) {
    await sql`select s.id, s.slug, s.name_en, a.name_en, m.name_en from service s
      join agency a on a.id = s.agency_id join ministry m on m.id = a.ministry_id
      where s.id in (${sql.join(ids)})`.execute(db);
  }
  return Number(rows.rows[0]?.total ?? 0n);
}

function summary(durations: number[]): string {
  const sorted = [...durations].sort((a, b) => a - b);
  const p = (rank: number) => percentile(sorted, rank).toFixed(2);
  return `p50 ${p(50)} ms, p99 ${p(99)} ms,` +
    ` max ${(sorted.at(-1) ?? 0).toFixed(2)} ms (${sorted.length} queries)`;
}

const slugs = async (table: 'ministry' | 'agency') => (await sql<{ slug: string }>`
  select slug from ${sql.table(table)} order by slug limit 50`.execute(db)).rows.map((r) => r.slug);
const mix = buildQueryMix(Number(values.queries), await slugs('ministry'), await slugs('agency'));
process.stderr.write(`${database.description}: ${target} services; setting up full text...\n`);
const setupMs = await setUpFullText();
process.stderr.write(`full-text setup ${(setupMs / 1000).toFixed(1)} s; running the mix\n`);
for (const query of mix.slice(0, 20)) await fullTextQuery(query);
const fullText: number[] = [];
for (const query of mix) fullText.push((await timed(() => fullTextQuery(query)))[1]);

const memoryBefore = process.memoryUsage();
const search = createServiceSearch(testDeps(handle));
const [, buildMs] = await timed(() => search.refresh());
const memoryAfter = process.memoryUsage();
for (const query of mix.slice(0, 20)) await search.search(query);
const inProcess: number[] = [];
for (const query of mix) inProcess.push((await timed(() => search.search(query)))[1]);
const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
process.stdout.write([
  `database: ${database.description}, services: ${target}`,
  `PostgreSQL full text: setup ${(setupMs / 1000).toFixed(1)} s; ${summary(fullText)}`,
  `in-process index: build ${(buildMs / 1000).toFixed(1)} s, ` +
    `heap +${megabytes(memoryAfter.heapUsed - memoryBefore.heapUsed)}, ` +
    `array buffers +${megabytes(memoryAfter.arrayBuffers - memoryBefore.arrayBuffers)}, ` +
    `rss +${megabytes(memoryAfter.rss - memoryBefore.rss)}; ${summary(inProcess)}`,
  '',
].join('\n'));
await handle.close();
