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
import { groupPostings, servicePostings, type Postings } from './search-postings.ts';
import { foldText } from './search-text.ts';
import { documentCountMax } from './search-top.ts';
import { buildVocabulary, type Vocabulary } from './search-vocabulary.ts';
import {
  FieldTermCache,
  fieldWeights,
  termWeights,
  textFields,
  type CatalogueText,
} from './search-weights.ts';

export type { CatalogueText } from './search-weights.ts';
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

export type { Postings } from './search-postings.ts';

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
  const services = servicePostings({ pairStart: staged.pairStart.view(),
    pairTerms: staged.pairTerms.view(), pairWeights: staged.pairWeights.view() },
  order, finalTerm, sortedTerms.length);
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

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
