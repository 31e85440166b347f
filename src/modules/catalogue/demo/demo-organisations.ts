/**
 * The demo catalogue's ministries, departments and agencies: written for this project (not
 * copied from any dataset), named as the Kenyan government names them, with Swahili names.
 * Keys are stable: they become source ids ('demo:<key>') and deterministic UUIDs.
 */

export type DemoMinistry = Readonly<{
  key: string;
  slug: string;
  nameEn: string;
  nameSw: string;
  descriptionEn: string;
  descriptionSw: string;
  url: string;
}>;

export type DemoDepartment = Readonly<{
  key: string;
  ministryKey: string;
  slug: string;
  nameEn: string;
  nameSw: string;
}>;

export type DemoAgency = Readonly<{
  key: string;
  ministryKey: string;
  departmentKey: string;
  slug: string;
  nameEn: string;
  nameSw: string;
  descriptionEn: string;
  descriptionSw: string;
  url: string;
}>;

export const demoMinistries: readonly DemoMinistry[] = [
  {
    key: 'interior',
    slug: 'ministry-of-interior-and-national-administration',
    nameEn: 'Ministry of Interior and National Administration',
    nameSw: 'Wizara ya Usalama wa Ndani na Utawala wa Kitaifa',
    descriptionEn: 'Internal security, immigration, citizen registration and national ' +
      'administration.',
    descriptionSw: 'Usalama wa ndani, uhamiaji, usajili wa raia na utawala wa kitaifa.',
    url: 'https://www.interior.go.ke/',
  },
  {
    key: 'transport',
    slug: 'ministry-of-roads-and-transport',
    nameEn: 'Ministry of Roads and Transport',
    nameSw: 'Wizara ya Barabara na Uchukuzi',
    descriptionEn: 'Roads, road safety, and the licensing of drivers and vehicles.',
    descriptionSw: 'Barabara, usalama barabarani, na utoaji wa leseni za madereva na magari.',
    url: 'https://www.transport.go.ke/',
  },
  {
    key: 'justice',
    slug: 'office-of-the-attorney-general-and-department-of-justice',
    nameEn: 'Office of the Attorney General and Department of Justice',
    nameSw: 'Ofisi ya Mwanasheria Mkuu na Idara ya Haki',
    descriptionEn: 'The government\'s legal adviser; registers businesses and marriages.',
    descriptionSw: 'Mshauri wa kisheria wa serikali; husajili biashara na ndoa.',
    url: 'https://www.statelaw.go.ke/',
  },
];

export const demoDepartments: readonly DemoDepartment[] = [
  {
    key: 'immigration-and-citizen-services',
    ministryKey: 'interior',
    slug: 'state-department-for-immigration-and-citizen-services',
    nameEn: 'State Department for Immigration and Citizen Services',
    nameSw: 'Idara ya Serikali ya Uhamiaji na Huduma kwa Raia',
  },
  {
    key: 'internal-security',
    ministryKey: 'interior',
    slug: 'state-department-for-internal-security-and-national-administration',
    nameEn: 'State Department for Internal Security and National Administration',
    nameSw: 'Idara ya Serikali ya Usalama wa Ndani na Utawala wa Kitaifa',
  },
  {
    key: 'transport',
    ministryKey: 'transport',
    slug: 'state-department-for-transport',
    nameEn: 'State Department for Transport',
    nameSw: 'Idara ya Serikali ya Uchukuzi',
  },
  {
    key: 'state-law-office',
    ministryKey: 'justice',
    slug: 'state-law-office',
    nameEn: 'State Law Office',
    nameSw: 'Ofisi ya Sheria ya Serikali',
  },
];

export const demoAgencies: readonly DemoAgency[] = [
  {
    key: 'immigration',
    ministryKey: 'interior',
    departmentKey: 'immigration-and-citizen-services',
    slug: 'department-of-immigration-services',
    nameEn: 'Department of Immigration Services',
    nameSw: 'Idara ya Huduma za Uhamiaji',
    descriptionEn: 'Issues Kenyan passports and admits visitors to Kenya.',
    descriptionSw: 'Hutoa pasipoti za Kenya na kuwaruhusu wageni kuingia Kenya.',
    url: 'https://immigration.go.ke/',
  },
  {
    key: 'civil-registration',
    ministryKey: 'interior',
    departmentKey: 'immigration-and-citizen-services',
    slug: 'civil-registration-services',
    nameEn: 'Civil Registration Services',
    nameSw: 'Huduma za Usajili wa Raia',
    descriptionEn: 'Registers births and deaths and issues their certificates.',
    descriptionSw: 'Husajili vizazi na vifo na kutoa vyeti vyake.',
    url: 'https://crs.go.ke/',
  },
  {
    key: 'criminal-investigations',
    ministryKey: 'interior',
    departmentKey: 'internal-security',
    slug: 'directorate-of-criminal-investigations',
    nameEn: 'Directorate of Criminal Investigations',
    nameSw: 'Idara ya Upelelezi wa Jinai',
    descriptionEn: 'Investigates crime and issues police clearance certificates.',
    descriptionSw: 'Huchunguza uhalifu na kutoa vyeti vya tabia njema.',
    url: 'https://www.cid.go.ke/',
  },
  {
    key: 'transport-safety',
    ministryKey: 'transport',
    departmentKey: 'transport',
    slug: 'national-transport-and-safety-authority',
    nameEn: 'National Transport and Safety Authority',
    nameSw: 'Mamlaka ya Kitaifa ya Uchukuzi na Usalama',
    descriptionEn: 'Licenses drivers and vehicles and regulates road transport.',
    descriptionSw: 'Hutoa leseni kwa madereva na magari na kudhibiti usafiri wa barabarani.',
    url: 'https://ntsa.go.ke/',
  },
  {
    key: 'business-registration',
    ministryKey: 'justice',
    departmentKey: 'state-law-office',
    slug: 'business-registration-service',
    nameEn: 'Business Registration Service',
    nameSw: 'Huduma ya Usajili wa Biashara',
    descriptionEn: 'Registers business names, companies and partnerships.',
    descriptionSw: 'Husajili majina ya biashara, kampuni na ubia.',
    url: 'https://brs.go.ke/',
  },
  {
    key: 'registrar-of-marriages',
    ministryKey: 'justice',
    departmentKey: 'state-law-office',
    slug: 'registrar-of-marriages',
    nameEn: 'Registrar of Marriages',
    nameSw: 'Msajili wa Ndoa',
    descriptionEn: 'Conducts civil marriages and registers marriages of every kind.',
    descriptionSw: 'Hufungisha ndoa za kiserikali na kusajili ndoa za aina zote.',
    url: 'https://www.statelaw.go.ke/',
  },
];
