/**
 * The in-process search index, built from the catalogue (see docs/decisions/0001).
 *
 * Services are numbered ("documents") in the order ministry, agency, English name, slug, so
 * every agency and every ministry is one contiguous range of documents: a filter is a range,
 * and a match on an agency's or ministry's own text applies to its whole range at once,
 * without repeating agency and ministry text in every service's postings.
 *
 * Postings are compressed-sparse-row typed arrays (term -> documents ascending, with a
 * precomputed BM25 weight each), so the index for a million services is a few hundred MB
 * and a query touches only the postings of its terms. Pure: the repo feeds it rows.
 */
import { languages, type Language } from '#web/index.ts';
import { DisplayTextStore, summarise } from './search-display.ts';
import { GrowableFloat32Array, GrowableUint32Array, sortedPermutation } from './search-arrays.ts';
import { foldText, indexTerms } from './search-text.ts';
import { documentCountMax } from './search-top.ts';
import { buildVocabulary, type Vocabulary } from './search-vocabulary.ts';

export type CatalogueText = Readonly<{
  nameEn: string;
  nameSw: string | null;
  descriptionEn: string | null;
  descriptionSw: string | null;
}>;
export type MinistryRow = CatalogueText & Readonly<{ id: string; slug: string }>;
export type AgencyRow = CatalogueText & Readonly<{ id: string; slug: string; ministryId: string }>;
export type ServiceRow = CatalogueText & Readonly<{ id: string; slug: string; agencyId: string }>;

/** An agency or ministry: its names and the documents [first, end) it owns. */
export type GroupEntry = Readonly<{
  slug: string;
  nameEn: string;
  nameSw: string | null;
  firstDocument: number;
  endDocument: number;
  /** For an agency, its ministry's position; for a ministry, -1. */
  parent: number;
}>;

/** Term -> entries [start[term], start[term + 1]) of targets (ascending) and weights. */
export type Postings = Readonly<{
  start: Uint32Array;
  targets: Uint32Array;
  weights: Float32Array;
}>;

export type SearchIndex = Readonly<{
  documentCount: number;
  /** 16 bytes per document: the service's UUID. */
  serviceIds: Uint8Array;
  /** What results show; document d is record displayRecordOf[d]. */
  display: DisplayTextStore;
  displayRecordOf: Uint32Array;
  agencyOfDocument: Uint32Array;
  /** Per language: documents in name order, and each document's position in that order. */
  byName: Readonly<Record<Language, Uint32Array>>;
  nameRank: Readonly<Record<Language, Uint32Array>>;
  agencies: readonly GroupEntry[];
  ministries: readonly GroupEntry[];
  agencyBySlug: ReadonlyMap<string, number>;
  ministryBySlug: ReadonlyMap<string, number>;
  vocabulary: Vocabulary;
  services: Postings;
  agencyPostings: Postings;
  ministryPostings: Postings;
  /** Per term: inverse document frequency over all the documents it reaches. */
  inverseFrequency: Float32Array;
  postingCount: number;
}>;

/** BM25 constants (the usual ones) and how much each field counts. */
const k1 = 1.2;
const lengthNormalisation = 0.75;
/** Typical field lengths in terms; fixed, so a weight is known when its row is read. */
const nameLengthTypical = 6;
const descriptionLengthTypical = 30;
export const fieldWeights = {
  serviceName: 4, serviceDescription: 1,
  agencyName: 2, agencyDescription: 0.4,
  ministryName: 1.5, ministryDescription: 0.3,
} as const;

type Field = Readonly<{ text: string | null; weight: number; lengthTypical: number }>;

function textFields(row: CatalogueText, nameWeight: number, descriptionWeight: number): Field[] {
  return [
    { text: row.nameEn, weight: nameWeight, lengthTypical: nameLengthTypical },
    { text: row.nameSw, weight: nameWeight, lengthTypical: nameLengthTypical },
    { text: row.descriptionEn, weight: descriptionWeight, lengthTypical: descriptionLengthTypical },
    { text: row.descriptionSw, weight: descriptionWeight, lengthTypical: descriptionLengthTypical },
  ];
}

type FieldTerms = readonly (readonly [string, number])[];

/**
 * Remembers each distinct field text's terms during one build: catalogues repeat a lot of
 * text (shared descriptions, the same service offered by many counties), and tokenising is
 * most of the build. Bounded, so a catalogue of unique texts cannot grow it without limit.
 */
class FieldTermCache {
  static readonly entriesMax = 200_000;
  readonly #entries = new Map<string, FieldTerms>();

  termsOf(field: Field): FieldTerms {
    const text = field.text ?? '';
    const key = `${field.weight}/${field.lengthTypical}/${text}`;
    const known = this.#entries.get(key);
    if (known !== undefined) return known;
    const fresh = fieldTerms(field);
    if (this.#entries.size >= FieldTermCache.entriesMax) this.#entries.clear();
    this.#entries.set(key, fresh);
    return fresh;
  }
}

/** A field's terms with their BM25-saturated, field-weighted frequency. */
function fieldTerms(field: Field): FieldTerms {
  const terms = indexTerms(field.text);
  if (terms.length === 0) return [];
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const norm = k1 * (1 - lengthNormalisation +
    lengthNormalisation * terms.length / field.lengthTypical);
  return [...counts].map(([term, count]) =>
    [term, field.weight * count * (k1 + 1) / (count + norm)] as const);
}

/** Term -> summed weight over the fields of one row. */
function termWeights(fields: readonly Field[], cache: FieldTermCache): Map<string, number> {
  const weights = new Map<string, number>();
  for (const field of fields) {
    for (const [term, weight] of cache.termsOf(field)) {
      weights.set(term, (weights.get(term) ?? 0) + weight);
    }
  }
  return weights;
}

function uuidBytesInto(target: Uint8Array, offset: number, uuid: string): void {
  target.set(Buffer.from(uuid.replaceAll('-', ''), 'hex'), offset);
}

export function serviceIdOf(index: SearchIndex, document: number): string {
  const bytes = index.serviceIds.subarray(document * 16, document * 16 + 16);
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-` +
    `${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type SearchIndexBuilder = Readonly<{
  addService: (row: ServiceRow) => void;
  finish: () => SearchIndex;
}>;

/**
 * Starts an index over these ministries and agencies; services are added one by one (they
 * are read in pages). A service whose agency is not known is skipped: it was added after
 * the agencies were read, and the next refresh picks it up.
 */
export function startSearchIndex(
  ministryRows: readonly MinistryRow[],
  agencyRows: readonly AgencyRow[],
): SearchIndexBuilder {
  const ministries = [...ministryRows].sort((a, b) => compareText(a.slug, b.slug));
  const ministryPosition = new Map(ministries.map((row, position) => [row.id, position]));
  const agencies = agencyRows
    .filter((row) => ministryPosition.has(row.ministryId))
    .sort((a, b) => (ministryPosition.get(a.ministryId) ?? 0) -
      (ministryPosition.get(b.ministryId) ?? 0) || compareText(a.slug, b.slug));
  const agencyPosition = new Map(agencies.map((row, position) => [row.id, position]));

  const termIds = new Map<string, number>();
  const cache = new FieldTermCache();
  const termIdOf = (term: string) => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termIds.size;
      termIds.set(term, id);
    }
    return id;
  };
  const groupTerms = (rows: readonly CatalogueText[], name: number, description: number) =>
    rows.map((row) => [...termWeights(textFields(row, name, description), cache)]
      .map(([term, weight]) => [termIdOf(term), weight] as const));
  const ministryTerms = groupTerms(
    ministries, fieldWeights.ministryName, fieldWeights.ministryDescription);
  const agencyTerms = groupTerms(
    agencies, fieldWeights.agencyName, fieldWeights.agencyDescription);

  const staged = stageServices(termIdOf, agencyPosition, cache);
  return {
    addService: staged.add,
    finish: () => finishIndex({
      ministries, agencies, ministryPosition, termIds, ministryTerms, agencyTerms, staged,
    }),
  };
}

type StagedServices = ReturnType<typeof stageServices>;

/** Rows as they arrive: agency, sort keys, id bytes, and (term, weight) pairs per row. */
function stageServices(
  termIdOf: (term: string) => number,
  agencyPosition: ReadonlyMap<string, number>,
  cache: FieldTermCache,
) {
  const agencyOf = new GrowableUint32Array();
  const pairStart = new GrowableUint32Array();
  const pairTerms = new GrowableUint32Array();
  const pairWeights = new GrowableFloat32Array();
  const nameKeys: Record<Language, string[]> = { en: [], sw: [] };
  const slugs: string[] = [];
  const display = new DisplayTextStore();
  let ids = new Uint8Array(16 * 1024);
  const add = (row: ServiceRow) => {
    const agency = agencyPosition.get(row.agencyId);
    if (agency === undefined) return;
    const position = slugs.length;
    if ((position + 1) * 16 > ids.length) {
      const grown = new Uint8Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    uuidBytesInto(ids, position * 16, row.id);
    agencyOf.push(agency);
    slugs.push(row.slug);
    nameKeys.en.push(foldText(row.nameEn));
    nameKeys.sw.push(foldText(row.nameSw ?? row.nameEn));
    display.add({
      slug: row.slug, nameEn: row.nameEn, nameSw: row.nameSw,
      summaryEn: summarise(row.descriptionEn), summarySw: summarise(row.descriptionSw),
    });
    pairStart.push(pairTerms.length);
    const weights = termWeights(textFields(
      row, fieldWeights.serviceName, fieldWeights.serviceDescription), cache);
    for (const [term, weight] of weights) {
      pairTerms.push(termIdOf(term));
      pairWeights.push(weight);
    }
  };
  return {
    add,
    count: () => slugs.length,
    agencyOf, pairStart, pairTerms, pairWeights, nameKeys, slugs, display,
    ids: () => ids,
  };
}

type FinishInput = Readonly<{
  ministries: readonly MinistryRow[];
  agencies: readonly AgencyRow[];
  ministryPosition: ReadonlyMap<string, number>;
  termIds: ReadonlyMap<string, number>;
  ministryTerms: readonly (readonly (readonly [number, number])[])[];
  agencyTerms: readonly (readonly (readonly [number, number])[])[];
  staged: StagedServices;
}>;

function finishIndex(input: FinishInput): SearchIndex {
  const { staged } = input;
  const count = staged.count();
  if (count > documentCountMax) {
    throw new Error(`search index: ${count} services is more than ${documentCountMax}`);
  }
  const agencyOfStaged = staged.agencyOf.view();
  const enKeys = staged.nameKeys.en;
  // Document order: agency (so ministry too), then English name, then slug.
  const order = sortedPermutation(count, (a, b) =>
    (agencyOfStaged[a] ?? 0) - (agencyOfStaged[b] ?? 0) ||
    compareText(enKeys[a] ?? '', enKeys[b] ?? '') ||
    compareText(staged.slugs[a] ?? '', staged.slugs[b] ?? ''));
  const documentOf = new Uint32Array(count);
  order.forEach((staging, document) => {
    documentOf[staging] = document;
  });

  const sortedTerms = [...input.termIds.keys()].sort(compareText);
  const vocabulary = buildVocabulary(sortedTerms);
  const finalTerm = new Uint32Array(input.termIds.size);
  for (const [term, id] of input.termIds) finalTerm[id] = vocabulary.idOf.get(term) ?? 0;

  const serviceIds = new Uint8Array(count * 16);
  const agencyOfDocument = new Uint32Array(count);
  const stagedIds = staged.ids();
  order.forEach((staging, document) => {
    serviceIds.set(stagedIds.subarray(staging * 16, staging * 16 + 16), document * 16);
    agencyOfDocument[document] = agencyOfStaged[staging] ?? 0;
  });

  const { agencies, ministries } = groupEntries(input, agencyOfDocument);
  const services = servicePostings(staged, order, finalTerm, sortedTerms.length);
  const agencyPostings = groupPostings(input.agencyTerms, finalTerm, sortedTerms.length);
  const ministryPostings = groupPostings(input.ministryTerms, finalTerm, sortedTerms.length);
  const inverseFrequency = inverseFrequencies(
    count, sortedTerms.length, services, agencyPostings, agencies, ministryPostings, ministries);

  const byName = {} as Record<Language, Uint32Array>;
  const nameRank = {} as Record<Language, Uint32Array>;
  for (const language of languages) {
    const keys = staged.nameKeys[language];
    const stagedOrder = sortedPermutation(count, (a, b) =>
      compareText(keys[a] ?? '', keys[b] ?? '') ||
      compareText(staged.slugs[a] ?? '', staged.slugs[b] ?? ''));
    const documents = new Uint32Array(count);
    const ranks = new Uint32Array(count);
    stagedOrder.forEach((staging, rank) => {
      const document = documentOf[staging] ?? 0;
      documents[rank] = document;
      ranks[document] = rank;
    });
    byName[language] = documents;
    nameRank[language] = ranks;
  }
  staged.display.compact();
  return {
    documentCount: count, serviceIds, display: staged.display, displayRecordOf: order,
    agencyOfDocument, byName, nameRank, agencies, ministries,
    agencyBySlug: new Map(agencies.map((entry, position) => [entry.slug, position])),
    ministryBySlug: new Map(ministries.map((entry, position) => [entry.slug, position])),
    vocabulary, services, agencyPostings, ministryPostings, inverseFrequency,
    postingCount: services.targets.length,
  };
}

function groupEntries(input: FinishInput, agencyOfDocument: Uint32Array) {
  const agencyRanges = contiguousRanges(agencyOfDocument, input.agencies.length);
  const agencies: GroupEntry[] = input.agencies.map((row, position) => ({
    slug: row.slug, nameEn: row.nameEn, nameSw: row.nameSw,
    firstDocument: agencyRanges[position * 2] ?? 0,
    endDocument: agencyRanges[position * 2 + 1] ?? 0,
    parent: input.ministryPosition.get(row.ministryId) ?? -1,
  }));
  const ministries: GroupEntry[] = input.ministries.map((row, position) => {
    const own = agencies.filter((agency) => agency.parent === position);
    // Agencies of one ministry are adjacent, so their ranges join into one.
    const first = own.reduce((low, a) => Math.min(low, a.firstDocument), Infinity);
    const end = own.reduce((high, a) => Math.max(high, a.endDocument), 0);
    const empty = own.every((agency) => agency.firstDocument === agency.endDocument);
    const firstDocument = empty ? 0 : first;
    return {
      slug: row.slug, nameEn: row.nameEn, nameSw: row.nameSw,
      firstDocument, endDocument: empty ? 0 : end, parent: -1,
    };
  });
  return { agencies, ministries };
}

/** For groups numbered 0..groupCount-1 laid out in ascending runs: [first, end) per group. */
function contiguousRanges(groupOfDocument: Uint32Array, groupCount: number): Uint32Array {
  const ranges = new Uint32Array(groupCount * 2);
  for (let document = 0; document < groupOfDocument.length; document += 1) {
    const group = groupOfDocument[document] ?? 0;
    if (ranges[group * 2 + 1] === 0) ranges[group * 2] = document;
    ranges[group * 2 + 1] = document + 1;
  }
  return ranges;
}

function servicePostings(
  staged: StagedServices, order: Uint32Array, finalTerm: Uint32Array, termCount: number,
): Postings {
  const pairStart = staged.pairStart.view();
  const pairTerms = staged.pairTerms.view();
  const pairWeights = staged.pairWeights.view();
  const start = new Uint32Array(termCount + 1);
  for (const term of pairTerms) increment(start, (finalTerm[term] ?? 0) + 1);
  accumulate(start);
  const next = start.slice(0, termCount);
  const targets = new Uint32Array(pairTerms.length);
  const weights = new Float32Array(pairTerms.length);
  // Walking documents in order keeps each term's documents ascending.
  order.forEach((staging, document) => {
    const end = staging + 1 < pairStart.length ? pairStart[staging + 1] ?? 0 : pairTerms.length;
    for (let pair = pairStart[staging] ?? 0; pair < end; pair += 1) {
      const term = finalTerm[pairTerms[pair] ?? 0] ?? 0;
      const slot = next[term] ?? 0;
      next[term] = slot + 1;
      targets[slot] = document;
      weights[slot] = pairWeights[pair] ?? 0;
    }
  });
  return { start, targets, weights };
}

function groupPostings(
  groupTerms: readonly (readonly (readonly [number, number])[])[],
  finalTerm: Uint32Array,
  termCount: number,
): Postings {
  const start = new Uint32Array(termCount + 1);
  for (const pairs of groupTerms) {
    for (const [term] of pairs) increment(start, (finalTerm[term] ?? 0) + 1);
  }
  accumulate(start);
  const next = start.slice(0, termCount);
  const targets = new Uint32Array(start[termCount] ?? 0);
  const weights = new Float32Array(targets.length);
  groupTerms.forEach((pairs, group) => {
    for (const [term, weight] of pairs) {
      const final = finalTerm[term] ?? 0;
      const slot = next[final] ?? 0;
      next[final] = slot + 1;
      targets[slot] = group;
      weights[slot] = weight;
    }
  });
  return { start, targets, weights };
}

function inverseFrequencies(
  documentCount: number,
  termCount: number,
  services: Postings,
  agencyPostings: Postings,
  agencies: readonly GroupEntry[],
  ministryPostings: Postings,
  ministries: readonly GroupEntry[],
): Float32Array {
  const result = new Float32Array(termCount);
  const reach = (postings: Postings, groups: readonly GroupEntry[], term: number) => {
    let total = 0;
    for (let slot = postings.start[term] ?? 0; slot < (postings.start[term + 1] ?? 0); slot += 1) {
      const group = groups[postings.targets[slot] ?? 0];
      if (group !== undefined) total += group.endDocument - group.firstDocument;
    }
    return total;
  };
  for (let term = 0; term < termCount; term += 1) {
    const own = (services.start[term + 1] ?? 0) - (services.start[term] ?? 0);
    const frequency = Math.min(documentCount,
      own + reach(agencyPostings, agencies, term) + reach(ministryPostings, ministries, term));
    // BM25's idf, kept positive for terms in more than half of the documents.
    result[term] = Math.log(1 + (documentCount - frequency + 0.5) / (frequency + 0.5));
  }
  return result;
}

function increment(counts: Uint32Array, position: number): void {
  counts[position] = (counts[position] ?? 0) + 1;
}

/** Counts -> running totals, in place: afterwards counts[i] is the sum of counts before i. */
function accumulate(counts: Uint32Array): void {
  for (let position = 1; position < counts.length; position += 1) {
    counts[position] = (counts[position] ?? 0) + (counts[position - 1] ?? 0);
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
