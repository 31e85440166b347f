/** Demo forms: driving licence renewal, good conduct, business name, marriage notice. */
import {
  field,
  fullNameField,
  idNumberHint,
  maritalStatusOptions,
  megabyte,
  option,
  phoneHint,
  text,
} from './demo-form-parts.ts';
import type { FormDefinition } from './form-types.ts';

export const drivingLicenceRenewalForm: FormDefinition = {
  version: 1,
  pages: [
    {
      id: 'licence',
      title: text('Your driving licence', 'Leseni yako ya udereva'),
      fields: [
        field('licenceNumber', 'text', text('Driving licence number',
          'Nambari ya leseni ya udereva'), {
          maxLength: 12, autocomplete: 'off',
          hint: text('On the front of your licence', 'Iko mbele ya leseni yako'),
        }),
        field('idNumber', 'id-number', text('National ID number',
          'Nambari ya kitambulisho cha taifa'), { hint: idNumberHint }),
        field('expiryDate', 'date', text('Expiry date of the licence',
          'Tarehe ya kuisha kwa leseni')),
        field('licenceClasses', 'choice', text('Classes on your licence',
          'Madaraja yaliyo kwenye leseni yako'), {
          multiple: true,
          options: [
            option('A', 'A: motorcycles', 'A: pikipiki'),
            option('B', 'B: light vehicles', 'B: magari madogo'),
            option('C1', 'C1: light trucks', 'C1: malori madogo'),
            option('C', 'C: medium trucks', 'C: malori ya wastani'),
            option('CE', 'CE: heavy trucks with trailers', 'CE: malori makubwa yenye trela'),
            option('D1', 'D1: vans and small buses', 'D1: vani na mabasi madogo'),
            option('D', 'D: buses', 'D: mabasi'),
            option('G', 'G: industrial and agricultural machines',
              'G: mitambo ya viwanda na kilimo'),
          ],
        }),
      ],
    },
    {
      id: 'medical',
      title: text('Medical declaration', 'Tamko la afya'),
      fields: [
        field('medicalCondition', 'yes-no', text(
          'Do you have a medical condition or take medicine that affects your driving?',
          'Je, una hali ya kiafya au unatumia dawa inayoathiri uendeshaji wako?')),
        field('medicalDetails', 'text', text('Tell us about the condition',
          'Tueleze kuhusu hali hiyo'), {
          maxLength: 500, showWhen: { field: 'medicalCondition', equals: true },
        }),
        field('declaration', 'yes-no', text(
          'Do you declare that these answers are true, to the best of your knowledge?',
          'Je, unathibitisha kwamba majibu haya ni ya kweli, kwa kadri ya ufahamu wako?')),
      ],
    },
  ],
};

export const goodConductForm: FormDefinition = {
  version: 1,
  pages: [
    {
      id: 'details',
      title: text('Your details and purpose', 'Maelezo yako na madhumuni'),
      fields: [
        field('idNumber', 'id-number', text('National ID number',
          'Nambari ya kitambulisho cha taifa'), { hint: idNumberHint }),
        field('purpose', 'choice', text('What do you need the certificate for?',
          'Unahitaji cheti kwa ajili ya nini?'), {
          options: [
            option('employment', 'Employment', 'Ajira'),
            option('travel', 'Travel or a visa', 'Safari au viza'),
            option('studies', 'Further studies', 'Masomo zaidi'),
            option('adoption', 'Adoption', 'Kuasili mtoto'),
            option('licence', 'A licence or permit', 'Leseni au kibali'),
            option('other', 'Something else', 'Jambo lingine'),
          ],
        }),
        field('purposeOther', 'text', text('What is it for?', 'Ni kwa ajili ya nini?'), {
          maxLength: 100, showWhen: { field: 'purpose', equals: 'other' },
        }),
      ],
    },
    {
      id: 'fingerprints',
      title: text('Fingerprints', 'Alama za vidole'),
      fields: [field('fingerprintForm', 'file', text('Fingerprint form C24',
        'Fomu ya alama za vidole C24'), {
        hint: text('The form C24 with your fingerprints, taken and stamped at a police ' +
          'station or Huduma Centre, scanned or photographed',
        'Fomu C24 yenye alama za vidole vyako, zilizochukuliwa na kugongwa muhuri kituo cha ' +
          'polisi au Huduma Centre, iliyoskaniwa au kupigwa picha'),
        accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 5 * megabyte,
      })],
    },
  ],
};

export const businessNameForm: FormDefinition = {
  version: 1,
  holderNameField: 'registeredName',
  pages: [
    {
      id: 'names',
      title: text('Business name', 'Jina la biashara'),
      fields: [
        field('proposedNames', 'group', text('Proposed name', 'Jina linalopendekezwa'), {
          hint: text('In order of preference: the first one free is registered',
            'Kwa mpangilio wa upendeleo: la kwanza lisilotumika ndilo husajiliwa'),
          minItems: 1, maxItems: 3,
          fields: [field('name', 'text', text('Name', 'Jina'), { maxLength: 100 })],
        }),
        field('registeredName', 'text', text('Name to print on the certificate',
          'Jina la kuchapishwa kwenye cheti'), {
          maxLength: 100, hint: text('Usually your first choice', 'Kwa kawaida chaguo lako ' +
            'la kwanza'),
        }),
      ],
    },
    {
      id: 'business',
      title: text('About the business', 'Kuhusu biashara'),
      fields: [
        field('nature', 'choice', text('Nature of business', 'Aina ya biashara'), {
          options: [
            option('retail', 'Retail shop', 'Duka la rejareja'),
            option('wholesale', 'Wholesale and distribution', 'Jumla na usambazaji'),
            option('agriculture', 'Farming and agribusiness', 'Kilimo na biashara ya kilimo'),
            option('ict', 'ICT and digital services', 'TEHAMA na huduma za kidijitali'),
            option('transport', 'Transport and logistics', 'Usafiri na usafirishaji'),
            option('hospitality', 'Hotels and restaurants', 'Hoteli na mikahawa'),
            option('construction', 'Construction', 'Ujenzi'),
            option('professional', 'Professional services', 'Huduma za kitaalamu'),
            option('other', 'Other', 'Nyingine'),
          ],
        }),
        field('activities', 'text', text('What the business does', 'Biashara inafanya nini'),
          { maxLength: 300, required: false }),
        field('businessAddress', 'address', text('Business address', 'Anwani ya biashara')),
        field('businessPhone', 'phone', text('Business phone number',
          'Nambari ya simu ya biashara'), { hint: phoneHint }),
        field('businessEmail', 'email', text('Business e-mail address',
          'Anwani ya barua pepe ya biashara'), { required: false }),
      ],
    },
    {
      id: 'proprietors',
      title: text('Proprietors', 'Wamiliki'),
      fields: [field('proprietors', 'group', text('Proprietor', 'Mmiliki'), {
        hint: text('Everyone who owns the business, you included',
          'Kila mtu anayemiliki biashara, wewe ukiwemo'),
        minItems: 1, maxItems: 5,
        fields: [
          fullNameField('name', text('Full name', 'Jina kamili'), { autocomplete: 'off' }),
          field('idNumber', 'id-number', text('ID number', 'Nambari ya kitambulisho')),
          field('phone', 'phone', text('Phone number', 'Nambari ya simu')),
          field('email', 'email', text('E-mail address', 'Anwani ya barua pepe'),
            { required: false }),
        ],
      })],
    },
  ],
};

const registryOffices = [
  option('nairobi', 'Registrar of Marriages, Sheria House, Nairobi',
    'Msajili wa Ndoa, Sheria House, Nairobi'),
  option('mombasa', 'Registrar of Marriages, Mombasa', 'Msajili wa Ndoa, Mombasa'),
  option('kisumu', 'Registrar of Marriages, Kisumu', 'Msajili wa Ndoa, Kisumu'),
  option('nakuru', 'Registrar of Marriages, Nakuru', 'Msajili wa Ndoa, Nakuru'),
  option('eldoret', 'Registrar of Marriages, Eldoret', 'Msajili wa Ndoa, Eldoret'),
];

export const marriageNoticeForm: FormDefinition = {
  version: 1,
  secondParty: { idNumberField: 'partnerIdNumber', nameField: 'partnerName' },
  pages: [
    {
      id: 'you',
      title: text('About you', 'Kuhusu wewe'),
      fields: [
        fullNameField('fullName', text('Your full name', 'Jina lako kamili')),
        field('idNumber', 'id-number', text('Your ID number',
          'Nambari yako ya kitambulisho'), { hint: idNumberHint }),
        field('dateOfBirth', 'date', text('Your date of birth', 'Tarehe yako ya kuzaliwa'),
          { dates: 'past' }),
        field('maritalStatus', 'choice', text('Your marital status now',
          'Hali yako ya ndoa kwa sasa'), { options: maritalStatusOptions }),
        field('occupation', 'text', text('Your occupation', 'Kazi yako'), { maxLength: 60 }),
        field('residence', 'address', text('Where you live', 'Unapoishi')),
      ],
    },
    {
      id: 'partner',
      title: text('About the person you will marry', 'Kuhusu mtu utakayefunga naye ndoa'),
      fields: [
        fullNameField('partnerName', text('Their full name', 'Jina lake kamili'),
          { autocomplete: 'off' }),
        field('partnerIdNumber', 'id-number', text('Their ID number',
          'Nambari yake ya kitambulisho'), {
          hint: text('They confirm this notice from their own Huduma account before it is ' +
            'submitted', 'Atathibitisha notisi hii kutoka akaunti yake ya Huduma kabla ' +
            'haijawasilishwa'),
        }),
        field('partnerDateOfBirth', 'date', text('Their date of birth',
          'Tarehe yake ya kuzaliwa'), { dates: 'past' }),
        field('partnerMaritalStatus', 'choice', text('Their marital status now',
          'Hali yake ya ndoa kwa sasa'), { options: maritalStatusOptions }),
        field('partnerPhone', 'phone', text('Their phone number', 'Nambari yake ya simu'),
          { hint: phoneHint }),
      ],
    },
    {
      id: 'ceremony',
      title: text('The ceremony', 'Sherehe'),
      fields: [
        field('venue', 'choice', text('Where the marriage will be held',
          'Ndoa itafungwa wapi'), { options: registryOffices }),
        field('ceremonyDate', 'date', text('Date of the ceremony', 'Tarehe ya sherehe'), {
          dates: 'future',
          hint: text('At least 21 days after this notice is given', 'Angalau siku 21 ' +
            'baada ya notisi hii kutolewa'),
        }),
      ],
    },
    {
      id: 'witnesses',
      title: text('Witnesses', 'Mashahidi'),
      fields: [field('witnesses', 'group', text('Witness', 'Shahidi'), {
        hint: text('Two adults who will attend the ceremony', 'Watu wazima wawili ' +
          'watakaohudhuria sherehe'),
        minItems: 2, maxItems: 2,
        fields: [
          fullNameField('name', text('Full name', 'Jina kamili'), { autocomplete: 'off' }),
          field('idNumber', 'id-number', text('ID number', 'Nambari ya kitambulisho')),
          field('phone', 'phone', text('Phone number', 'Nambari ya simu')),
        ],
      })],
    },
  ],
};
