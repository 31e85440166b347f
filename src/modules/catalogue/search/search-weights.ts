/**
 * How much a term counts for a service, agency or ministry: BM25 term-frequency saturation
 * over each text field (names and descriptions, English and Swahili), weighted by field.
 * Pure; the index (search-index.ts) sums these per row.
 */
import { indexTerms } from './search-text.ts';

export type CatalogueText = Readonly<{
  nameEn: string;
  nameSw: string | null;
  descriptionEn: string | null;
  descriptionSw: string | null;
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

export type Field = Readonly<{ text: string | null; weight: number; lengthTypical: number }>;

export function textFields(
  row: CatalogueText,
  nameWeight: number,
  descriptionWeight: number,
): Field[] {
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
export class FieldTermCache {
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
export function termWeights(fields: readonly Field[], cache: FieldTermCache): Map<string, number> {
  const weights = new Map<string, number>();
  for (const field of fields) {
    for (const [term, weight] of cache.termsOf(field)) {
      weights.set(term, (weights.get(term) ?? 0) + weight);
    }
  }
  return weights;
}
