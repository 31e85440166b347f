/**
 * The forms engine of the applications module: each service's application form as data,
 * checked on the server, rendered as accessible HTML that works without JavaScript, in
 * English and Swahili, with file uploads kept in a FileStorage. See docs/forms.md.
 */
export {
  relevantAnswers,
  readPage,
  validateAnswers,
  validatePage,
} from './form-answers.ts';
export {
  dateFromParts,
  isEmailAddress,
  normaliseIdNumber,
  normalisePhone,
  todayInKenya,
  type CheckOptions,
} from './form-checks.ts';
export {
  findField,
  findPage,
  firstPageId,
  isFieldShown,
  nextPageId,
  previousPageId,
  visiblePages,
} from './form-logic.ts';
export {
  cleanFileName,
  detectFileType,
  multipartBodyBytesMax,
  multipartTextBytesMax,
  readFormPost,
  readPostedPage,
  registerMultipart,
} from './form-post.ts';
export {
  formPageTitle,
  renderAnswers,
  renderCheckAnswers,
  renderFormPage,
  type FormPageInput,
} from './form-render.ts';
export { allFields, parseFormDefinition } from './form-schema.ts';
export { errorSummary, summaryText } from './form-text.ts';
export {
  formLimits,
  isStoredFileRef,
  type AnswerValue,
  type Answers,
  type ChoiceOption,
  type FieldError,
  type FieldKind,
  type FormDefinition,
  type FormField,
  type FormPage,
  type LocalisedText,
  type PostedFile,
  type PostedForm,
  type ShowWhen,
  type StoredFileRef,
} from './form-types.ts';
export { demoFormFor, demoForms } from './demo-forms.ts';
export { formsMessages } from './forms-messages.ts';
