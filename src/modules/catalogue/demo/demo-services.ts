/**
 * The demo catalogue's services: written for this project, real Kenyan services with their
 * fees as publicly listed on government portals when this was written. Fees change: this is
 * demonstration data, not an authority. Gazette references are left null where we do not
 * know the notice (never invent one). SLA days are the demo's own commitments.
 */
import type { Currency } from '#platform/money/index.ts';
import type { AccountType, DeliveryMode, OnboardingStatus } from '../catalogue-tables.ts';

export type DemoService = Readonly<{
  key: string;
  agencyKey: string;
  slug: string;
  nameEn: string;
  nameSw: string;
  descriptionEn: string;
  descriptionSw: string;
  requirementsEn: readonly string[];
  requirementsSw: readonly string[];
  serviceUrl: string;
  onboardingStatus: OnboardingStatus;
  slaDays: number;
  deliveryMode: DeliveryMode;
  eligibleAccountTypes: readonly AccountType[];
  fee: Readonly<{ amountMinor: bigint; currency: Currency; gazetteReference: string | null }>;
  /** What the payer does after paying (receipts, payment messages); absent: a general line. */
  nextStep?: Readonly<{ en: string; sw: string }>;
}>;

/** Demo fees are in force from the start of the current access-fee schedule. */
export const demoFeesEffectiveFrom = '2023-07-01';

const kes = (shillings: bigint) =>
  ({ amountMinor: shillings * 100n, currency: 'KES', gazetteReference: null }) as const;
const usd = (dollars: bigint) =>
  ({ amountMinor: dollars * 100n, currency: 'USD', gazetteReference: null }) as const;

const passportRequirementsEn = [
  'National identity card (copy of both sides)',
  'Birth certificate (copy)',
  'Two recent colour passport-size photographs',
  'For applicants under 18: a parent\'s identity card and consent',
];
const passportRequirementsSw = [
  'Kitambulisho cha taifa (nakala ya pande zote mbili)',
  'Cheti cha kuzaliwa (nakala)',
  'Picha mbili za rangi za hivi karibuni, za ukubwa wa pasipoti',
  'Kwa waombaji walio chini ya miaka 18: kitambulisho na idhini ya mzazi',
];

function passport(pages: 34 | 50 | 66, shillings: bigint): DemoService {
  return {
    key: `passport-ordinary-${pages}`,
    agencyKey: 'immigration',
    slug: `ordinary-passport-${pages}-pages`,
    nameEn: `Ordinary passport (${pages} pages)`,
    nameSw: `Pasipoti ya kawaida (kurasa ${pages})`,
    descriptionEn: `A Kenyan ordinary passport of ${pages} pages for travel abroad, valid for ` +
      'ten years. Collected in person after biometrics are taken.',
    descriptionSw: `Pasipoti ya kawaida ya Kenya yenye kurasa ${pages} kwa safari za nje, ` +
      'halali kwa miaka kumi. Huchukuliwa ana kwa ana baada ya kuchukuliwa alama za kibayometriki.',
    requirementsEn: passportRequirementsEn,
    requirementsSw: passportRequirementsSw,
    serviceUrl: 'https://immigration.ecitizen.go.ke/',
    onboardingStatus: 'live',
    slaDays: 10,
    deliveryMode: 'collect_in_person',
    eligibleAccountTypes: ['citizen'],
    fee: kes(shillings),
    nextStep: {
      en: 'Book your biometrics appointment at the Immigration office shown in your ' +
        'application, and bring your national ID. Collect the passport there when told.',
      sw: 'Weka miadi ya kuchukuliwa alama za kibayometriki katika ofisi ya Uhamiaji ' +
        'iliyoonyeshwa kwenye ombi lako, ukiwa na kitambulisho chako. Chukua pasipoti hapo ' +
        'utakapoambiwa.',
    },
  };
}

export const demoServices: readonly DemoService[] = [
  passport(34, 4_550n),
  passport(50, 6_050n),
  passport(66, 7_550n),
  {
    key: 'electronic-travel-authorisation',
    agencyKey: 'immigration',
    slug: 'electronic-travel-authorisation',
    nameEn: 'Electronic Travel Authorisation (eTA)',
    nameSw: 'Idhini ya Kielektroniki ya Kusafiri (eTA)',
    descriptionEn: 'Permission for a visitor to travel to Kenya, applied for before travel.',
    descriptionSw: 'Ruhusa kwa mgeni kusafiri kuja Kenya, huombwa kabla ya safari.',
    requirementsEn: ['Passport valid for at least six months', 'Flight itinerary',
      'Accommodation booking or invitation letter'],
    requirementsSw: ['Pasipoti halali kwa angalau miezi sita', 'Ratiba ya safari ya ndege',
      'Uthibitisho wa malazi au barua ya mwaliko'],
    serviceUrl: 'https://www.etakenya.go.ke/',
    onboardingStatus: 'exempt',
    slaDays: 3,
    deliveryMode: 'online',
    eligibleAccountTypes: ['foreigner'],
    fee: usd(30n),
  },
  {
    key: 'east-africa-tourist-visa',
    agencyKey: 'immigration',
    slug: 'east-africa-tourist-visa',
    nameEn: 'East Africa Tourist Visa',
    nameSw: 'Viza ya Utalii ya Afrika Mashariki',
    descriptionEn: 'One visa for tourism in Kenya, Rwanda and Uganda, valid for 90 days.',
    descriptionSw: 'Viza moja ya utalii kwa Kenya, Rwanda na Uganda, halali kwa siku 90.',
    requirementsEn: ['Passport valid for at least six months', 'Recent passport photograph'],
    requirementsSw: ['Pasipoti halali kwa angalau miezi sita',
      'Picha ya pasipoti ya hivi karibuni'],
    serviceUrl: 'https://immigration.ecitizen.go.ke/',
    onboardingStatus: 'live',
    slaDays: 7,
    deliveryMode: 'online',
    eligibleAccountTypes: ['foreigner'],
    fee: usd(100n),
  },
  {
    key: 'birth-certificate',
    agencyKey: 'civil-registration',
    slug: 'birth-certificate',
    nameEn: 'Birth certificate',
    nameSw: 'Cheti cha kuzaliwa',
    descriptionEn: 'A certificate of a birth already registered in Kenya.',
    descriptionSw: 'Cheti cha kuzaliwa kilichokwisha kusajiliwa nchini Kenya.',
    requirementsEn: ['Birth notification number', 'Identity card of a parent'],
    requirementsSw: ['Nambari ya taarifa ya kuzaliwa', 'Kitambulisho cha mzazi'],
    serviceUrl: 'https://crs.ecitizen.go.ke/',
    onboardingStatus: 'live',
    slaDays: 7,
    deliveryMode: 'collect_in_person',
    eligibleAccountTypes: ['citizen', 'resident'],
    fee: kes(50n),
  },
  {
    key: 'certificate-of-good-conduct',
    agencyKey: 'criminal-investigations',
    slug: 'certificate-of-good-conduct',
    nameEn: 'Certificate of good conduct',
    nameSw: 'Cheti cha tabia njema',
    descriptionEn: 'A police clearance certificate stating whether the applicant has a ' +
      'criminal record in Kenya.',
    descriptionSw: 'Cheti cha polisi kinachoeleza iwapo mwombaji ana rekodi ya uhalifu ' +
      'nchini Kenya.',
    requirementsEn: ['National identity card or passport',
      'Fingerprints taken on form C24 at a DCI office or Huduma Centre'],
    requirementsSw: ['Kitambulisho cha taifa au pasipoti',
      'Alama za vidole kwenye fomu C24 katika ofisi ya DCI au Kituo cha Huduma'],
    serviceUrl: 'https://dci.ecitizen.go.ke/',
    onboardingStatus: 'live',
    slaDays: 14,
    deliveryMode: 'online',
    eligibleAccountTypes: ['citizen', 'resident', 'foreigner'],
    fee: kes(1_050n),
    nextStep: {
      en: 'Have your fingerprints taken on form C24 at a DCI office or Huduma Centre, with ' +
        'your ID and this receipt. The certificate follows online.',
      sw: 'Chukuliwa alama za vidole kwenye fomu C24 katika ofisi ya DCI au Kituo cha Huduma, ' +
        'ukiwa na kitambulisho chako na risiti hii. Cheti kitafuata mtandaoni.',
    },
  },
  {
    key: 'driving-licence-new',
    agencyKey: 'transport-safety',
    slug: 'smart-driving-licence-new',
    nameEn: 'Smart driving licence (new)',
    nameSw: 'Leseni janja ya udereva (mpya)',
    descriptionEn: 'A first smart driving licence for a driver who has passed the driving test.',
    descriptionSw: 'Leseni janja ya kwanza ya udereva kwa dereva aliyefaulu mtihani wa udereva.',
    requirementsEn: ['National identity card', 'Driving test certificate', 'Passport photograph'],
    requirementsSw: ['Kitambulisho cha taifa', 'Cheti cha mtihani wa udereva', 'Picha ya pasipoti'],
    serviceUrl: 'https://tims.ntsa.go.ke/',
    onboardingStatus: 'live',
    slaDays: 14,
    deliveryMode: 'collect_in_person',
    eligibleAccountTypes: ['citizen', 'resident'],
    fee: kes(3_050n),
  },
  {
    key: 'driving-licence-renewal-1-year',
    agencyKey: 'transport-safety',
    slug: 'driving-licence-renewal-one-year',
    nameEn: 'Driving licence renewal (one year)',
    nameSw: 'Kuhuisha leseni ya udereva (mwaka mmoja)',
    descriptionEn: 'Renews a driving licence for one year.',
    descriptionSw: 'Huhuisha leseni ya udereva kwa mwaka mmoja.',
    requirementsEn: ['Driving licence number', 'National identity card'],
    requirementsSw: ['Nambari ya leseni ya udereva', 'Kitambulisho cha taifa'],
    serviceUrl: 'https://tims.ntsa.go.ke/',
    onboardingStatus: 'live',
    slaDays: 1,
    deliveryMode: 'online',
    eligibleAccountTypes: ['citizen', 'resident'],
    fee: kes(650n),
  },
  {
    key: 'driving-licence-renewal-3-years',
    agencyKey: 'transport-safety',
    slug: 'driving-licence-renewal-three-years',
    nameEn: 'Driving licence renewal (three years)',
    nameSw: 'Kuhuisha leseni ya udereva (miaka mitatu)',
    descriptionEn: 'Renews a driving licence for three years.',
    descriptionSw: 'Huhuisha leseni ya udereva kwa miaka mitatu.',
    requirementsEn: ['Driving licence number', 'National identity card'],
    requirementsSw: ['Nambari ya leseni ya udereva', 'Kitambulisho cha taifa'],
    serviceUrl: 'https://tims.ntsa.go.ke/',
    onboardingStatus: 'live',
    slaDays: 1,
    deliveryMode: 'online',
    eligibleAccountTypes: ['citizen', 'resident'],
    fee: kes(1_450n),
  },
  {
    key: 'business-name-search',
    agencyKey: 'business-registration',
    slug: 'business-name-search',
    nameEn: 'Business name search and reservation',
    nameSw: 'Utafutaji na uhifadhi wa jina la biashara',
    descriptionEn: 'Checks that a proposed business name is free and reserves it.',
    descriptionSw: 'Huhakikisha kwamba jina la biashara linalopendekezwa liko huru na kulihifadhi.',
    requirementsEn: ['Up to three proposed names, in order of preference'],
    requirementsSw: ['Hadi majina matatu yanayopendekezwa, kwa mpangilio wa upendeleo'],
    serviceUrl: 'https://brs.ecitizen.go.ke/',
    onboardingStatus: 'live',
    slaDays: 1,
    deliveryMode: 'online',
    eligibleAccountTypes: ['citizen', 'resident', 'foreigner', 'business'],
    fee: kes(150n),
    nextStep: {
      en: 'Nothing more to do: the search result is in your Huduma account.',
      sw: 'Hakuna zaidi la kufanya: matokeo ya utafutaji yako kwenye akaunti yako ya Huduma.',
    },
  },
  {
    key: 'business-name-registration',
    agencyKey: 'business-registration',
    slug: 'business-name-registration',
    nameEn: 'Business name registration',
    nameSw: 'Usajili wa jina la biashara',
    descriptionEn: 'Registers a business name for a sole proprietor or a partnership.',
    descriptionSw: 'Husajili jina la biashara kwa mmiliki pekee au kwa ubia.',
    requirementsEn: ['A reserved business name', 'Identity card and KRA PIN of each proprietor'],
    requirementsSw: ['Jina la biashara lililohifadhiwa',
      'Kitambulisho na PIN ya KRA ya kila mmiliki'],
    serviceUrl: 'https://brs.ecitizen.go.ke/',
    onboardingStatus: 'live',
    slaDays: 3,
    deliveryMode: 'online',
    eligibleAccountTypes: ['citizen', 'resident', 'foreigner'],
    fee: kes(950n),
  },
  {
    key: 'civil-marriage',
    agencyKey: 'registrar-of-marriages',
    slug: 'civil-marriage',
    nameEn: 'Civil marriage (notice and certificate)',
    nameSw: 'Ndoa ya kiserikali (notisi na cheti)',
    descriptionEn: 'Gives notice of an intended civil marriage before the Registrar and ' +
      'issues the marriage certificate. The notice is published for 21 days.',
    descriptionSw: 'Hutoa notisi ya ndoa ya kiserikali inayokusudiwa mbele ya Msajili na ' +
      'kutoa cheti cha ndoa. Notisi huchapishwa kwa siku 21.',
    requirementsEn: ['Identity cards or passports of both parties',
      'Passport photographs of both parties', 'Identity cards of two witnesses'],
    requirementsSw: ['Vitambulisho au pasipoti za wahusika wote wawili',
      'Picha za pasipoti za wahusika wote wawili', 'Vitambulisho vya mashahidi wawili'],
    serviceUrl: 'https://marriage.ecitizen.go.ke/',
    onboardingStatus: 'in_progress',
    slaDays: 30,
    deliveryMode: 'collect_in_person',
    eligibleAccountTypes: ['citizen', 'resident', 'foreigner'],
    fee: kes(3_300n),
  },
  {
    key: 'marriage-certificate-copy',
    agencyKey: 'registrar-of-marriages',
    slug: 'certified-copy-of-marriage-certificate',
    nameEn: 'Certified copy of a marriage certificate',
    nameSw: 'Nakala iliyothibitishwa ya cheti cha ndoa',
    descriptionEn: 'A certified copy of a marriage certificate already registered.',
    descriptionSw: 'Nakala iliyothibitishwa ya cheti cha ndoa kilichokwisha kusajiliwa.',
    requirementsEn: ['Marriage certificate number', 'Identity card of one of the spouses'],
    requirementsSw: ['Nambari ya cheti cha ndoa', 'Kitambulisho cha mmoja wa wanandoa'],
    serviceUrl: 'https://marriage.ecitizen.go.ke/',
    onboardingStatus: 'in_progress',
    slaDays: 7,
    deliveryMode: 'collect_in_person',
    eligibleAccountTypes: ['citizen', 'resident', 'foreigner'],
    fee: kes(500n),
  },
];
