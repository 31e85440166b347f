export { httpPopulationRegister, type HttpRegisterOptions } from './http-register.ts';
export { absentRegister, registerFor } from './register-choice.ts';
export {
  claimMatches,
  isSignInDocumentType,
  normaliseDocumentNumber,
  sameName,
  signInDocumentTypes,
  type DocumentReference,
  type DocumentType,
  type PersonClaim,
  type PopulationRegister,
  type RegisterBusiness,
  type RegisterPerson,
  type SignInDocumentType,
} from './population-register.ts';
export {
  demoPeople,
  syntheticPeople,
  syntheticPeopleCount,
  syntheticRegister,
} from './synthetic-register.ts';
