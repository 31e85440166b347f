/**
 * The demo services' application forms, as data: passport (with a guarantor and a photo),
 * driving licence renewal, certificate of good conduct, business name registration, and the
 * notice of a civil marriage, which the second party confirms from their own account.
 */
import {
  businessNameForm,
  drivingLicenceRenewalForm,
  goodConductForm,
  marriageNoticeForm,
} from './demo-forms-more.ts';
import {
  field,
  fullNameField,
  idNumberHint,
  megabyte,
  option,
  phoneHint,
  text,
} from './demo-form-parts.ts';
import type { FormDefinition } from './form-types.ts';

const professionOptions = [
  option('advocate', 'Advocate of the High Court', 'Wakili wa Mahakama Kuu'),
  option('doctor', 'Medical doctor', 'Daktari'),
  option('teacher', 'Teacher', 'Mwalimu'),
  option('religious-leader', 'Minister of religion', 'Kiongozi wa dini'),
  option('chief', 'Chief or assistant chief', 'Chifu au naibu chifu'),
  option('accountant', 'Certified public accountant', 'Mhasibu aliyeidhinishwa'),
  option('engineer', 'Registered engineer', 'Mhandisi aliyesajiliwa'),
  option('civil-servant', 'Civil servant (job group K or above)',
    'Mtumishi wa umma (kundi la kazi K au zaidi)'),
];

export const passportForm: FormDefinition = {
  version: 1,
  holderNameField: 'fullName',
  pages: [
    {
      id: 'personal',
      title: text('Your details', 'Maelezo yako'),
      fields: [
        fullNameField('fullName', text('Full name', 'Jina kamili'), {
          hint: text('As it is on your national identity card', 'Kama lilivyo kwenye ' +
            'kitambulisho chako cha taifa'),
        }),
        field('dateOfBirth', 'date', text('Date of birth', 'Tarehe ya kuzaliwa'),
          { dates: 'past' }),
        field('placeOfBirth', 'text', text('Place of birth', 'Mahali pa kuzaliwa'),
          { maxLength: 60, hint: text('Town and county', 'Mji na kaunti') }),
        field('sex', 'choice', text('Sex', 'Jinsia'), {
          options: [option('female', 'Female', 'Mwanamke'), option('male', 'Male', 'Mwanamume')],
        }),
        field('idNumber', 'id-number', text('National ID number',
          'Nambari ya kitambulisho cha taifa'), { hint: idNumberHint }),
        field('phone', 'phone', text('Mobile phone number', 'Nambari ya simu ya mkononi'),
          { hint: phoneHint }),
        field('email', 'email', text('E-mail address', 'Anwani ya barua pepe'),
          { required: false }),
      ],
    },
    {
      id: 'address',
      title: text('Where you live', 'Unapoishi'),
      fields: [field('homeAddress', 'address', text('Home address', 'Anwani ya nyumbani'))],
    },
    {
      id: 'previousPassport',
      title: text('Previous passport', 'Pasipoti ya awali'),
      fields: [
        field('hadPassport', 'yes-no', text('Have you had a Kenyan passport before?',
          'Je, umewahi kuwa na pasipoti ya Kenya?')),
        field('previousPassportNumber', 'text', text('Previous passport number',
          'Nambari ya pasipoti ya awali'), {
          maxLength: 9, autocomplete: 'off',
          hint: text('For example, AK0123456', 'Kwa mfano, AK0123456'),
          showWhen: { field: 'hadPassport', equals: true },
        }),
      ],
    },
    {
      id: 'guarantor',
      title: text('Your guarantor', 'Mdhamini wako'),
      fields: [field('guarantors', 'group', text('Guarantor', 'Mdhamini'), {
        hint: text('Someone who has known you for at least 3 years, in one of the ' +
          'professions listed, and who holds a Kenyan identity card',
        'Mtu aliyekufahamu kwa angalau miaka 3, katika mojawapo ya kazi zilizoorodheshwa, ' +
          'mwenye kitambulisho cha Kenya'),
        minItems: 1, maxItems: 1,
        fields: [
          fullNameField('name', text('Guarantor’s full name', 'Jina kamili la mdhamini'),
            { autocomplete: 'off' }),
          field('idNumber', 'id-number', text('Guarantor’s ID number',
            'Nambari ya kitambulisho ya mdhamini')),
          field('phone', 'phone', text('Guarantor’s phone number',
            'Nambari ya simu ya mdhamini'), { hint: phoneHint }),
          field('profession', 'choice', text('Guarantor’s profession', 'Kazi ya mdhamini'),
            { options: professionOptions }),
        ],
      })],
    },
    {
      id: 'photo',
      title: text('Your photo', 'Picha yako'),
      fields: [field('photo', 'file', text('Passport photo', 'Picha ya pasipoti'), {
        hint: text('A recent colour photo on a white background, face and shoulders, ' +
          'no glasses or hat', 'Picha ya rangi ya hivi karibuni yenye mandharinyuma meupe, ' +
          'uso na mabega, bila miwani wala kofia'),
        accept: ['image/jpeg', 'image/png'], maxBytes: 2 * megabyte,
      })],
    },
  ],
};

/** Service slug -> the form its application asks for. */
export const demoForms: Readonly<Record<string, FormDefinition>> = {
  'ordinary-passport-34-pages': passportForm,
  'ordinary-passport-50-pages': passportForm,
  'ordinary-passport-66-pages': passportForm,
  'driving-licence-renewal-one-year': drivingLicenceRenewalForm,
  'driving-licence-renewal-three-years': drivingLicenceRenewalForm,
  'certificate-of-good-conduct': goodConductForm,
  'business-name-registration': businessNameForm,
  'civil-marriage': marriageNoticeForm,
};

export function demoFormFor(serviceSlug: string): FormDefinition | undefined {
  return Object.hasOwn(demoForms, serviceSlug) ? demoForms[serviceSlug] : undefined;
}
