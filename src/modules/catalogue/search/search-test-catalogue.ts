/** A small bilingual catalogue for search tests, inserted straight into the tables. */
import type { Kysely } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import type { SearchTables } from './search-tables.ts';

type Text = Readonly<{ en: string; sw?: string; descriptionEn?: string; descriptionSw?: string }>;

export const testMinistries: Readonly<Record<string, Text>> = {
  'interior': {
    en: 'Ministry of Interior and National Administration',
    sw: 'Wizara ya Mambo ya Ndani na Utawala wa Kitaifa',
    descriptionEn: 'Security, immigration and civil registration.',
  },
  'transport': { en: 'Ministry of Roads and Transport', sw: 'Wizara ya Barabara na Uchukuzi' },
  'lands': { en: 'Ministry of Lands and Physical Planning', sw: 'Wizara ya Ardhi na Mipango' },
};

export const testAgencies: Readonly<Record<string, Text & { ministry: string }>> = {
  'immigration': {
    ministry: 'interior', en: 'Department of Immigration Services', sw: 'Idara ya Uhamiaji',
    descriptionEn: 'Issues travel documents and visas, and controls the borders.',
  },
  'civil-registration': {
    ministry: 'interior', en: 'Civil Registration Services', sw: 'Huduma za Usajili wa Raia',
  },
  'ntsa': {
    ministry: 'transport', en: 'National Transport and Safety Authority',
    sw: 'Mamlaka ya Taifa ya Usafiri na Usalama',
  },
  'lands-registry': { ministry: 'lands', en: 'Lands Registry', sw: 'Masjala ya Ardhi' },
};

export const testServices: Readonly<Record<string, Text & { agency: string }>> = {
  'passport-application': {
    agency: 'immigration', en: 'Passport Application', sw: 'Maombi ya Pasipoti',
    descriptionEn: 'Apply for a new ordinary Kenyan passport.',
  },
  'lost-passport-replacement': {
    agency: 'immigration', en: 'Replacement of a Lost Passport',
    sw: 'Kubadilisha Pasipoti Iliyopotea',
  },
  'travel-document-collection': {
    agency: 'immigration', en: 'Travel Document Collection',
    descriptionEn: 'Collect your passport or other travel document at the counter.',
  },
  'visa-application': {
    agency: 'immigration', en: 'Visa Application', sw: 'Maombi ya Viza',
    descriptionEn: 'A visa for visitors to Kenya.',
  },
  'birth-certificate': {
    agency: 'civil-registration', en: 'Birth Certificate Application',
    sw: 'Maombi ya Cheti cha Kuzaliwa',
  },
  'death-certificate': {
    agency: 'civil-registration', en: 'Death Certificate Application',
    sw: 'Maombi ya Cheti cha Kifo',
  },
  'driving-licence-renewal': {
    agency: 'ntsa', en: 'Driving Licence Renewal', sw: 'Kuhuisha Leseni ya Udereva',
  },
  'smart-driving-licence': { agency: 'ntsa', en: 'Smart Driving Licence Application' },
  'motor-vehicle-inspection': {
    agency: 'ntsa', en: 'Motor Vehicle Inspection', sw: 'Ukaguzi wa Magari',
  },
  'land-search': {
    agency: 'lands-registry', en: 'Official Land Search', sw: 'Upekuzi Rasmi wa Ardhi',
  },
  'land-rent-payment': { agency: 'lands-registry', en: 'Land Rent Payment' },
};

/** Inserts the catalogue above; returns the ids by slug. */
export async function insertTestCatalogue(
  db: Kysely<SearchTables>,
): Promise<ReadonlyMap<string, string>> {
  const ids = new Map<string, string>();
  const idOf = (slug: string) => {
    const id = ids.get(slug) ?? uuidv7();
    ids.set(slug, id);
    return id;
  };
  const text = (value: Text) => ({
    name_en: value.en, name_sw: value.sw ?? null,
    description_en: value.descriptionEn ?? null, description_sw: value.descriptionSw ?? null,
  });
  await db.insertInto('ministry').values(Object.entries(testMinistries).map(([slug, value]) => ({
    id: idOf(slug), slug, origin: 'demo' as const, ...text(value),
  }))).execute();
  await db.insertInto('agency').values(Object.entries(testAgencies).map(([slug, value]) => ({
    id: idOf(slug), slug, ministry_id: idOf(value.ministry), origin: 'demo' as const,
    ...text(value),
  }))).execute();
  await db.insertInto('service').values(Object.entries(testServices).map(([slug, value]) => ({
    id: idOf(slug), slug, agency_id: idOf(value.agency), origin: 'demo' as const,
    ...text(value),
  }))).execute();
  return ids;
}
