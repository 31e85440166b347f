/**
 * Words the synthetic catalogue is built from, in English and Swahili, so generated names read
 * like real government services ("Fishing Permit Renewal — Kisumu" / "Kuhuisha kibali cha
 * uvuvi — Kisumu") and search is tested on realistic text.
 */

export type Word = Readonly<{ en: string; sw: string }>;

/** A document a service issues; `of` is the Swahili connector its noun class takes. */
export type DocumentWord = Word & Readonly<{ of: string }>;

export const areas: readonly Word[] = [
  { en: 'Agriculture', sw: 'Kilimo' }, { en: 'Health', sw: 'Afya' },
  { en: 'Trade', sw: 'Biashara' }, { en: 'Lands', sw: 'Ardhi' },
  { en: 'Water', sw: 'Maji' }, { en: 'Energy', sw: 'Nishati' },
  { en: 'Mining', sw: 'Madini' }, { en: 'Tourism', sw: 'Utalii' },
  { en: 'Education', sw: 'Elimu' }, { en: 'Labour', sw: 'Kazi' },
  { en: 'Environment', sw: 'Mazingira' }, { en: 'Information', sw: 'Habari' },
  { en: 'Housing', sw: 'Nyumba' }, { en: 'Fisheries', sw: 'Uvuvi' },
  { en: 'Cooperatives', sw: 'Vyama vya Ushirika' }, { en: 'Roads', sw: 'Barabara' },
  { en: 'Culture', sw: 'Utamaduni' }, { en: 'Youth', sw: 'Vijana' },
  { en: 'Public Service', sw: 'Utumishi wa Umma' }, { en: 'Transport', sw: 'Uchukuzi' },
  { en: 'Livestock', sw: 'Mifugo' }, { en: 'Forestry', sw: 'Misitu' },
  { en: 'Sports', sw: 'Michezo' }, { en: 'Industry', sw: 'Viwanda' },
];

export const documents: readonly DocumentWord[] = [
  { en: 'Permit', sw: 'kibali', of: 'cha' },
  { en: 'Licence', sw: 'leseni', of: 'ya' },
  { en: 'Certificate', sw: 'cheti', of: 'cha' },
  { en: 'Registration', sw: 'usajili', of: 'wa' },
  { en: 'Approval', sw: 'idhini', of: 'ya' },
  { en: 'Inspection', sw: 'ukaguzi', of: 'wa' },
  { en: 'Compliance Certificate', sw: 'cheti cha utiifu', of: 'wa' },
];

export const subjects: readonly Word[] = [
  { en: 'Fishing', sw: 'uvuvi' }, { en: 'Timber Movement', sw: 'usafirishaji wa mbao' },
  { en: 'Liquor', sw: 'pombe' }, { en: 'Building Plan', sw: 'ramani ya jengo' },
  { en: 'Food Hygiene', sw: 'usafi wa chakula' },
  { en: 'Water Abstraction', sw: 'matumizi ya maji' },
  { en: 'Mining', sw: 'uchimbaji wa madini' },
  { en: 'Boda Boda Operator', sw: 'mhudumu wa bodaboda' },
  { en: 'Public Service Vehicle', sw: 'gari la umma' },
  { en: 'Market Stall', sw: 'kibanda cha soko' }, { en: 'Land', sw: 'ardhi' },
  { en: 'Tour Operator', sw: 'mwendeshaji wa utalii' },
  { en: 'Private School', sw: 'shule ya binafsi' }, { en: 'Pharmacy', sw: 'duka la dawa' },
  { en: 'Radio Frequency', sw: 'masafa ya redio' }, { en: 'Export', sw: 'uuzaji nje' },
  { en: 'Import', sw: 'uagizaji' },
  { en: 'Livestock Movement', sw: 'usafirishaji wa mifugo' },
  { en: 'Public Event', sw: 'hafla ya umma' },
  { en: 'Outdoor Advertising', sw: 'matangazo ya nje' },
  { en: 'Borehole Drilling', sw: 'uchimbaji wa kisima' },
  { en: 'Single Business', sw: 'biashara' }, { en: 'Fire Safety', sw: 'usalama wa moto' },
  { en: 'Charcoal Transport', sw: 'usafirishaji wa mkaa' },
  { en: 'Sand Harvesting', sw: 'uchotaji wa mchanga' }, { en: 'Motor Vehicle', sw: 'gari' },
  { en: 'Security Guard', sw: 'mlinzi' },
  { en: 'Cooperative Society', sw: 'chama cha ushirika' },
  { en: 'Seed Dealer', sw: 'muuzaji wa mbegu' },
  { en: 'Veterinary Practice', sw: 'huduma za mifugo' },
];

/**
 * How a service acts on its document: English wraps the subject and document; Swahili puts
 * the action first ("Kuhuisha leseni ya pombe"). An empty action is the plain document.
 */
export const actions: readonly Readonly<{ enBefore: string; enAfter: string; sw: string }>[] = [
  { enBefore: '', enAfter: '', sw: '' },
  { enBefore: '', enAfter: ' Renewal', sw: 'Kuhuisha' },
  { enBefore: 'Application for ', enAfter: '', sw: 'Maombi ya' },
  { enBefore: 'Replacement of ', enAfter: '', sw: 'Kubadilisha' },
  { enBefore: 'Transfer of ', enAfter: '', sw: 'Uhamisho wa' },
  { enBefore: 'Amendment of ', enAfter: '', sw: 'Marekebisho ya' },
];

export const towns: readonly string[] = [
  'Nairobi', 'Mombasa', 'Kisumu', 'Nakuru', 'Eldoret', 'Thika', 'Malindi', 'Kitale', 'Garissa',
  'Kakamega', 'Nyeri', 'Machakos', 'Meru', 'Kericho', 'Lamu', 'Naivasha', 'Embu', 'Kisii',
  'Bungoma', 'Isiolo', 'Marsabit', 'Lodwar', 'Voi', 'Narok', 'Kilifi', 'Kajiado', 'Homa Bay',
  'Migori', 'Nanyuki', 'Wajir',
];

/** Agency kinds: `{area}` is the ministry's area, `{town}` a town (county agencies). */
export const agencyKinds: readonly Readonly<{ en: string; sw: string; county: boolean }>[] = [
  { en: 'National {area} Authority', sw: 'Mamlaka ya Kitaifa ya {area}', county: false },
  { en: 'Kenya {area} Board', sw: 'Bodi ya {area} ya Kenya', county: false },
  { en: '{area} Regulatory Authority', sw: 'Mamlaka ya Udhibiti wa {area}', county: false },
  { en: 'Directorate of {area}', sw: 'Kurugenzi ya {area}', county: false },
  { en: '{town} County Department of {area}', sw: 'Idara ya {area} ya Kaunti ya {town}',
    county: true },
];

export const requirements: readonly Word[] = [
  { en: 'National identity card', sw: 'Kitambulisho cha taifa' },
  { en: 'KRA PIN certificate', sw: 'Cheti cha PIN ya KRA' },
  { en: 'Passport-size photograph', sw: 'Picha ya ukubwa wa pasipoti' },
  { en: 'Business registration certificate', sw: 'Cheti cha usajili wa biashara' },
  { en: 'Site plan', sw: 'Ramani ya eneo' },
  { en: 'Previous licence or permit', sw: 'Leseni au kibali kilichotangulia' },
  { en: 'Inspection report', sw: 'Ripoti ya ukaguzi' },
  { en: 'Letter from the area chief', sw: 'Barua kutoka kwa chifu wa eneo' },
];

/** Typical fees, in whole shillings and dollars. */
export const shillingFees: readonly bigint[] = [50n, 100n, 200n, 250n, 300n, 500n, 650n, 1_000n,
  1_050n, 1_500n, 2_000n, 2_500n, 3_000n, 5_000n, 7_500n, 10_000n, 15_000n, 25_000n, 50_000n];
export const dollarFees: readonly bigint[] = [10n, 20n, 30n, 50n, 100n, 200n, 500n];
