/**
 * The synthetic catalogue, as pure functions of (seed, index): the same seed always yields the
 * same rows, and row n never depends on how many rows are asked for, so a larger run extends a
 * smaller one. Source ids: `synthetic:<seed>:<n>` for services, with a kind for the rest.
 */
import type { Currency } from '#platform/money/index.ts';
import type { AccountType, DeliveryMode, OnboardingStatus } from '../catalogue-tables.ts';
import { slugify } from '../importer/import-rows.ts';
import {
  actions,
  agencyKinds,
  areas,
  documents,
  dollarFees,
  requirements,
  shillingFees,
  subjects,
  towns,
  type Word,
} from './generator-vocabulary.ts';

export const ministriesPerSeed = areas.length;
export const departmentsPerMinistry = 2;

/** A small, fast, well-mixed 32-bit hash (lowbias32), enough to seed a PRNG per row. */
function mix(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** mulberry32: a deterministic stream of numbers in [0, 1) for one row. */
export function rowRandom(seed: number, kind: number, index: number): () => number {
  let state = mix(mix(mix(seed) ^ kind) ^ index);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export type SyntheticMinistry = Readonly<{
  index: number;
  sourceId: string;
  slug: string;
  name: Word;
}>;

export function syntheticMinistry(seed: number, index: number): SyntheticMinistry {
  const area = areas[index % areas.length] ?? { en: 'Services', sw: 'Huduma' };
  return {
    index,
    sourceId: `synthetic:${seed}:ministry:${index}`,
    slug: `ministry-of-${slugify(area.en)}-s${seed}`,
    name: { en: `Ministry of ${area.en}`, sw: `Wizara ya ${area.sw}` },
  };
}

export type SyntheticDepartment = SyntheticMinistry & Readonly<{ ministryIndex: number }>;

export function syntheticDepartment(
  seed: number,
  ministryIndex: number,
  number: number,
): SyntheticDepartment {
  const area = areas[ministryIndex % areas.length] ?? { en: 'Services', sw: 'Huduma' };
  const which = number === 0 ? { en: 'Policy', sw: 'Sera' } : { en: 'Services', sw: 'Huduma' };
  const index = ministryIndex * departmentsPerMinistry + number;
  return {
    index,
    ministryIndex,
    sourceId: `synthetic:${seed}:department:${index}`,
    slug: `state-department-for-${slugify(area.en)}-${slugify(which.en)}-s${seed}`,
    name: {
      en: `State Department for ${area.en} ${which.en}`,
      sw: `Idara ya Serikali ya ${which.sw} za ${area.sw}`,
    },
  };
}

export type SyntheticAgency = Readonly<{
  index: number;
  sourceId: string;
  slug: string;
  name: Word;
  ministryIndex: number;
  departmentIndex: number;
  town: string | null;
  /** How many services it offers: the services numbered right after the previous agency's. */
  serviceCount: number;
}>;

const agencyServiceCountMin = 5;
const agencyServiceCountSpread = 300;

export function syntheticAgency(seed: number, index: number): SyntheticAgency {
  const random = rowRandom(seed, 2, index);
  const ministryIndex = index % ministriesPerSeed;
  const area = areas[ministryIndex] ?? { en: 'Services', sw: 'Huduma' };
  const kind = pick(random, agencyKinds);
  const town = kind.county ? pick(random, towns) : null;
  const fill = (template: string, areaName: string) =>
    template.replace('{area}', areaName).replace('{town}', town ?? '');
  const name = { en: fill(kind.en, area.en), sw: fill(kind.sw, area.sw) };
  // Squaring skews sizes small: most agencies offer a few services, a few offer hundreds.
  const size = random();
  return {
    index,
    sourceId: `synthetic:${seed}:agency:${index}`,
    slug: `${slugify(name.en)}-s${seed}-a${index}`,
    name,
    ministryIndex,
    departmentIndex: ministryIndex * departmentsPerMinistry + (index % departmentsPerMinistry),
    town,
    serviceCount: agencyServiceCountMin + Math.floor(size * size * agencyServiceCountSpread),
  };
}

export type SyntheticService = Readonly<{
  index: number;
  sourceId: string;
  slug: string;
  name: Word;
  description: Word;
  requirementsEn: string[];
  requirementsSw: string[];
  onboardingStatus: OnboardingStatus;
  slaDays: number;
  deliveryMode: DeliveryMode;
  eligibleAccountTypes: AccountType[];
  fee: Readonly<{ amountMinor: bigint; currency: Currency }>;
}>;

const onboardingMix: readonly OnboardingStatus[] = ['live', 'live', 'live', 'live', 'live',
  'live', 'in_progress', 'in_progress', 'not_started', 'exempt'];
const deliveryMix: readonly DeliveryMode[] = ['online', 'online', 'online', 'online', 'online',
  'collect_in_person', 'collect_in_person', 'collect_in_person', 'courier', 'mixed'];
const slaDayChoices: readonly number[] = [1, 3, 5, 7, 10, 14, 21, 30];
const accountTypeChoices: readonly AccountType[][] = [
  ['citizen', 'resident', 'foreigner', 'business'], ['citizen', 'resident'], ['business'],
  ['citizen'], ['citizen', 'resident', 'business'], ['foreigner'],
];
/** About one service in thirty is priced in dollars (permits and visas for foreigners). */
const dollarShare = 1 / 30;

export function syntheticService(
  seed: number,
  index: number,
  agency: SyntheticAgency,
): SyntheticService {
  const random = rowRandom(seed, 3, index);
  const subject = pick(random, subjects);
  const document = pick(random, documents);
  const action = pick(random, actions);
  const where = agency.town === null ? '' : ` — ${agency.town}`;
  const swDocument = `${document.sw} ${document.of} ${subject.sw}`;
  const name = {
    en: `${action.enBefore}${subject.en} ${document.en}${action.enAfter}${where}`,
    sw: `${capitalise(action.sw === '' ? swDocument : `${action.sw} ${swDocument}`)}${where}`,
  };
  const chosen = [...new Set([pick(random, requirements), pick(random, requirements),
    pick(random, requirements)])];
  const inDollars = random() < dollarShare;
  const amount = inDollars ? pick(random, dollarFees) : pick(random, shillingFees);
  return {
    index,
    sourceId: `synthetic:${seed}:${index}`,
    slug: `${slugify(name.en)}-s${seed}-${index}`,
    name,
    description: {
      en: `Apply for, pay for and receive the ${name.en} from the ${agency.name.en}.`,
      sw: `Omba, lipia na upokee ${swDocument} kutoka ${agency.name.sw}.`,
    },
    requirementsEn: chosen.map((item) => item.en),
    requirementsSw: chosen.map((item) => item.sw),
    onboardingStatus: pick(random, onboardingMix),
    slaDays: pick(random, slaDayChoices),
    deliveryMode: pick(random, deliveryMix),
    eligibleAccountTypes: inDollars ? ['foreigner'] : [...pick(random, accountTypeChoices)],
    fee: { amountMinor: amount * 100n, currency: inDollars ? 'USD' : 'KES' },
  };
}
