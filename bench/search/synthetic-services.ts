/**
 * Synthetic services for the search benchmark, generated inside the database (insert ...
 * select over generate_series), so a million rows take seconds, not minutes, on PostgreSQL
 * and PGlite alike. Names and descriptions are built from real service words in English and
 * Swahili ("Renewal of driving licence - Nakuru County" / "Kuhuisha leseni ya udereva - ..."),
 * so the vocabulary, word frequencies and shared words look like a national catalogue's.
 * Used when `huduma catalogue generate` is not available, or when asked for.
 */
import { sql, type Kysely } from 'kysely';
import type { Progress } from '#platform/progress.ts';

const actions: readonly (readonly [string, string])[] = [
  ['Application for', 'Maombi ya'], ['Renewal of', 'Kuhuisha'],
  ['Replacement of', 'Kubadilisha'], ['Registration of', 'Usajili wa'],
  ['Transfer of', 'Uhamisho wa'], ['Inspection of', 'Ukaguzi wa'],
  ['Approval of', 'Idhini ya'], ['Cancellation of', 'Kufuta'],
  ['Extension of', 'Kuongeza muda wa'],
  ['Certified copy of', 'Nakala iliyothibitishwa ya'], ['Search for', 'Utafutaji wa'],
  ['Amendment of', 'Marekebisho ya'],
];

const objects: readonly (readonly [string, string])[] = [
  ['passport', 'pasipoti'], ['driving licence', 'leseni ya udereva'],
  ['business permit', 'kibali cha biashara'], ['birth certificate', 'cheti cha kuzaliwa'],
  ['death certificate', 'cheti cha kifo'], ['marriage certificate', 'cheti cha ndoa'],
  ['land title deed', 'hati ya ardhi'], ['work permit', 'kibali cha kazi'],
  ['liquor licence', 'leseni ya vileo'], ['fishing licence', 'leseni ya uvuvi'],
  ['motor vehicle logbook', 'kitabu cha usajili wa gari'],
  ['company name reservation', 'uhifadhi wa jina la kampuni'],
  ['export permit', 'kibali cha kuuza nje'], ['import licence', 'leseni ya kuagiza bidhaa'],
  ['building plan approval', 'idhini ya ramani ya jengo'], ['health certificate', 'cheti cha afya'],
  ['tax compliance certificate', 'cheti cha kufuata kodi'],
  ['police clearance certificate', 'cheti cha maadili kutoka polisi'],
  ['student visa', 'viza ya mwanafunzi'], ['firearm licence', 'leseni ya silaha'],
  ['mining permit', 'kibali cha uchimbaji madini'], ['water abstraction permit', 'kibali cha maji'],
  ['trade mark', 'alama ya biashara'], ['professional licence', 'leseni ya kitaaluma'],
  ['seed certificate', 'cheti cha mbegu'], ['livestock movement permit', 'kibali cha mifugo'],
  ['radio frequency licence', 'leseni ya masafa ya redio'], ['film licence', 'leseni ya filamu'],
  ['pharmacy licence', 'leseni ya duka la dawa'], ['school registration', 'usajili wa shule'],
];

const counties: readonly string[] = [
  'Mombasa', 'Kwale', 'Kilifi', 'Tana River', 'Lamu', 'Taita Taveta', 'Garissa', 'Wajir',
  'Mandera', 'Marsabit', 'Isiolo', 'Meru', 'Tharaka Nithi', 'Embu', 'Kitui', 'Machakos',
  'Makueni', 'Nyandarua', 'Nyeri', 'Kirinyaga', 'Muranga', 'Kiambu', 'Turkana', 'West Pokot',
  'Samburu', 'Trans Nzoia', 'Uasin Gishu', 'Elgeyo Marakwet', 'Nandi', 'Baringo', 'Laikipia',
  'Nakuru', 'Narok', 'Kajiado', 'Kericho', 'Bomet', 'Kakamega', 'Vihiga', 'Bungoma', 'Busia',
  'Siaya', 'Kisumu', 'Homa Bay', 'Migori', 'Kisii', 'Nyamira', 'Nairobi',
];

const descriptionsEn: readonly string[] = [
  'Submit the form online and pay the fee by M-Pesa; you are notified by SMS.',
  'Book an appointment, bring the original documents and collect it at the office.',
  'Apply online with your identity card; processed within the service charter days.',
];
const descriptionsSw: readonly string[] = [
  'Jaza fomu mtandaoni na ulipe ada kwa M-Pesa; utaarifiwa kwa SMS.',
  'Panga miadi, leta hati halisi na uchukue katika ofisi.',
  'Omba mtandaoni ukitumia kitambulisho chako; hushughulikiwa ndani ya siku za mkataba.',
];

const servicesPerAgency = 400;
const agenciesPerMinistry = 40;
const batchRows = 50_000;

function textArray(values: readonly string[]) {
  return sql`array[${sql.join(values.map((value) => sql.lit(value)))}]::text[]`;
}

/** Adds `count` synthetic services (and the synthetic agencies and ministries they need). */
export async function addSyntheticServices(
  db: Kysely<unknown>,
  count: number,
  progress: Progress,
): Promise<void> {
  if (count <= 0) return;
  const agencyCount = Math.max(1, Math.ceil(count / servicesPerAgency));
  const ministryCount = Math.max(1, Math.ceil(agencyCount / agenciesPerMinistry));
  const run = Date.now().toString(36);
  await sql`insert into ministry (id, slug, name_en, name_sw, description_en, origin)
    select gen_random_uuid(), ${`synthetic-${run}-ministry-`} || g,
      'State Department for ' || (${textArray(objects.map((o) => o[0]))})[1 + g % ${objects.length}]
        || ' ' || g,
      'Idara ya Serikali ya ' || (${textArray(objects.map((o) => o[1]))})[1 + g % ${objects.length}]
        || ' ' || g,
      'A synthetic ministry for load tests.', 'synthetic'
    from generate_series(1, ${ministryCount}) g`.execute(db);
  await sql`insert into agency (id, slug, ministry_id, name_en, name_sw, description_en, origin)
    select gen_random_uuid(), ${`synthetic-${run}-agency-`} || g,
      (select id from ministry where slug = ${`synthetic-${run}-ministry-`}
        || (1 + g % ${ministryCount})),
      (${textArray(counties)})[1 + g % ${counties.length}] || ' ' ||
        (${textArray(objects.map((o) => o[0]))})[1 + (g / 7) % ${objects.length}] || ' Board ' || g,
      'Bodi ya ' || (${textArray(objects.map((o) => o[1]))})[1 + (g / 7) % ${objects.length}]
        || ' ' || (${textArray(counties)})[1 + g % ${counties.length}] || ' ' || g,
      'A synthetic agency for load tests.', 'synthetic'
    from generate_series(1, ${agencyCount}) g`.execute(db);
  progress.setTotal(count);
  for (let first = 1; first <= count; first += batchRows) {
    const last = Math.min(count, first + batchRows - 1);
    await insertServices(db, run, first, last, agencyCount);
    progress.tick(last - first + 1);
  }
}

async function insertServices(
  db: Kysely<unknown>, run: string, first: number, last: number, agencyCount: number,
): Promise<void> {
  // Strides that share no factor with the list lengths, so names mix rather than repeat.
  await sql`with agencies as (
      select id, row_number() over (order by slug) - 1 as position from agency
      where slug like ${`synthetic-${run}-agency-%`}
    ), rows as (
      select g,
        1 + (g * 7) % ${actions.length} as action,
        1 + (g * 13) % ${objects.length} as object,
        1 + (g * 31) % ${counties.length} as county,
        1 + (g * 5) % ${descriptionsEn.length} as description,
      g % ${agencyCount} as agency_position
      from generate_series(${first}::int, ${last}::int) g
    )
    insert into service (id, slug, agency_id, name_en, name_sw, description_en, description_sw,
      origin)
    select gen_random_uuid(), ${`synthetic-${run}-service-`} || g,
      agencies.id,
      (${textArray(actions.map((a) => a[0]))})[action] || ' '
        || (${textArray(objects.map((o) => o[0]))})[object] || ' - '
        || (${textArray(counties)})[county] || ' County',
      (${textArray(actions.map((a) => a[1]))})[action] || ' '
        || (${textArray(objects.map((o) => o[1]))})[object] || ' - Kaunti ya '
        || (${textArray(counties)})[county],
      (${textArray(descriptionsEn)})[description],
      (${textArray(descriptionsSw)})[description],
      'synthetic'
    from rows join agencies on agencies.position = rows.agency_position`.execute(db);
}
