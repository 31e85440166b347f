/**
 * A register of synthetic people, generated from a fixed seed: the same people every time,
 * on every machine. The first few are the documented demo people (README); the rest are
 * generated. No real person's data is in it.
 */
import { err, ok } from '#platform/errors/index.ts';
import {
  claimMatches,
  normaliseDocumentNumber,
  type DocumentReference,
  type DocumentType,
  type PopulationRegister,
  type RegisterBusiness,
  type RegisterPerson,
} from './population-register.ts';

type SyntheticPerson = RegisterPerson & Readonly<{
  guardians: readonly string[];
  directorOf: readonly string[];
}>;

const firstNames = [
  'Amina', 'Baraka', 'Chebet', 'Daudi', 'Njeri', 'Otieno', 'Wanjiru', 'Kamau', 'Achieng',
  'Mwangi', 'Kiprop', 'Atieno', 'Mutua', 'Wairimu', 'Omondi', 'Nafula', 'Kibet', 'Akinyi',
  'Juma', 'Zawadi', 'Halima', 'Hassan', 'Imani', 'Jabali', 'Makena', 'Neema', 'Sifa', 'Tumaini',
];
const lastNames = [
  'Otieno', 'Kamau', 'Mwangi', 'Ochieng', 'Kiptoo', 'Mutua', 'Njoroge', 'Odhiambo', 'Wafula',
  'Chepkoech', 'Kariuki', 'Onyango', 'Barasa', 'Mohamed', 'Ngugi', 'Kilonzo', 'Kimani', 'Auma',
];
const businessWords = ['Fresh Produce', 'Hardware', 'Transport', 'Pharmacy', 'Tech', 'Dairy'];

/** The demo people and business, documented in the README for development sign-in. */
export const demoPeople = {
  citizen: person('national_id', '12345678', 'Amina', 'Wanjiku', 'Otieno', '1990-04-12'),
  child: person('birth_certificate', '500100200', 'Baraka', null, 'Otieno', '2015-09-03'),
  resident: person('alien_id', '987654321', 'Jabali', null, 'Mwangi', '1984-01-20'),
  visitor: person('passport', 'C0300598', 'Sifa', null, 'Barasa', '1979-11-30'),
  business: { registrationNumber: 'PVT-AB12CD3', name: 'Amina Fresh Produce Limited' },
} as const;

function person(
  documentType: DocumentType, documentNumber: string, firstName: string,
  middleName: string | null, lastName: string, birthDate: string,
): RegisterPerson {
  return { documentType, documentNumber, firstName, middleName, lastName, birthDate };
}

/** mulberry32: a small, fast, seeded generator; good enough for made-up people. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const syntheticPeopleCount = 2_000;
const seed = 20_261_128;

type Population = Readonly<{
  people: readonly SyntheticPerson[];
  businesses: readonly RegisterBusiness[];
}>;

function generatePopulation(): Population {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const people: SyntheticPerson[] = [
    { ...demoPeople.citizen, guardians: [], directorOf: [demoPeople.business.registrationNumber] },
    { ...demoPeople.child, guardians: [demoPeople.citizen.documentNumber], directorOf: [] },
    { ...demoPeople.resident, guardians: [], directorOf: [] },
    { ...demoPeople.visitor, guardians: [], directorOf: [] },
  ];
  const businesses: RegisterBusiness[] = [demoPeople.business];
  for (let index = 0; index < syntheticPeopleCount; index += 1) {
    const kind = random();
    const documentType: DocumentType = kind < 0.85 ? 'national_id'
      : kind < 0.95 ? 'alien_id' : 'passport';
    const documentNumber = documentType === 'national_id' ? String(30_000_000 + index)
      : documentType === 'alien_id' ? String(900_000_000 + index)
        : `P${String(7_000_000 + index)}`;
    const year = 1950 + Math.floor(random() * 56);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const lastName = pick(lastNames);
    const directorOf: string[] = [];
    if (random() < 0.1) {
      const registrationNumber = `PVT-${String(1_000_000 + index)}`;
      businesses.push({ registrationNumber, name: `${lastName} ${pick(businessWords)} Limited` });
      directorOf.push(registrationNumber);
    }
    people.push({
      ...person(documentType, documentNumber, pick(firstNames),
        random() < 0.5 ? pick(firstNames) : null, lastName, `${year}-${month}-${day}`),
      guardians: [], directorOf,
    });
    if (documentType === 'national_id' && random() < 0.25) {
      people.push({
        ...person('birth_certificate', String(600_000_000 + index), pick(firstNames), null,
          lastName, `${2010 + Math.floor(random() * 14)}-${month}-${day}`),
        guardians: [documentNumber], directorOf: [],
      });
    }
  }
  return { people, businesses };
}

let population: Population | undefined;

function strip(entry: SyntheticPerson): RegisterPerson {
  return person(entry.documentType, entry.documentNumber, entry.firstName, entry.middleName,
    entry.lastName, entry.birthDate);
}

/** Every synthetic person, demo people first. `fresh` regenerates instead of reusing. */
export function syntheticPeople(options: Readonly<{ fresh?: boolean }> = {}):
readonly RegisterPerson[] {
  if (options.fresh === true) return generatePopulation().people.map(strip);
  population ??= generatePopulation();
  return population.people.map(strip);
}

const keyOf = (reference: DocumentReference) =>
  `${reference.documentType}:${normaliseDocumentNumber(reference.documentNumber)}`;

/** The built-in register. `delayMs` simulates a slow register in tests. */
export function syntheticRegister(options: Readonly<{ delayMs?: number }> = {}):
PopulationRegister {
  population ??= generatePopulation();
  const { people, businesses } = population;
  const byDocument = new Map(people.map((entry) => [keyOf(entry), entry]));
  const businessByNumber = new Map(businesses.map((entry) => [entry.registrationNumber, entry]));
  const wait = async () => {
    if (options.delayMs !== undefined) await new Promise((r) => setTimeout(r, options.delayMs));
  };
  return {
    verifyPerson: async (claim) => {
      await wait();
      const found = byDocument.get(keyOf(claim));
      return found !== undefined && claimMatches(claim, found) ? ok(strip(found)) :
        err('mismatch');
    },
    findDependants: async (guardian) => {
      await wait();
      const number = normaliseDocumentNumber(guardian.documentNumber);
      return ok(people.filter((entry) => entry.guardians.includes(number)).map(strip));
    },
    findBusinessesDirectedBy: async (director) => {
      await wait();
      const found = byDocument.get(keyOf(director));
      return ok((found?.directorOf ?? []).flatMap((number) => {
        const business = businessByNumber.get(number);
        return business === undefined ? [] : [business];
      }));
    },
  };
}
