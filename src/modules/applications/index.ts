/**
 * Applications: a person applies for a service on its form (data: service.form_schema), the
 * application's status is derived from an append-only action log through one transition table,
 * submitting issues the invoice (payments) and payment.allocated moves it to paid; the agency
 * works a queue, reviews and decides; issuing produces a signed document (documents).
 *
 * - startApplication, saveAnswers, requestConfirmation, confirmAsSecondParty,
 *   submitApplication, resubmitApplication, cancelApplication (applicant);
 *   actAsStaff (agency); escalateBreaches (SLA); rateApplication / ratingSummary.
 * - deriveApplicationStatus / applicationTransitions: the workflow as data.
 * - checkApplications(db): the projection equals what each log implies (`huduma ledger check`).
 * - seedDemoForms(deps): the demo services' forms into the catalogue.
 * - findApplicationStatusForPhone(deps, reference, phone): the status, only for the
 *   applicant's own account phone (the USSD channel).
 */
import type { HudumaModule, ModuleDeps } from '#platform/module.ts';
import { paymentAllocatedTopic } from '#modules/payments/index.ts';
import { documentSigningKeys } from '#modules/documents/index.ts';
import { storageFor } from '#platform/storage/index.ts';
import { joinBundles, registerAccountSection, registerStaffHomePanel } from '#web/index.ts';
import { applicationsErrors } from './applications-errors.ts';
import { applicationsPaths } from './applications-paths.ts';
import { citizenRoutes } from './citizen-routes.ts';
import { fileRoutes } from './file-routes.ts';
import { formsMessages, registerMultipart } from './forms/index.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import searchEn from './locales/search.en.json' with { type: 'json' };
import searchSw from './locales/search.sw.json' with { type: 'json' };
import { myApplicationsRoutes, accountSection, staffHomePanel } from './list-routes.ts';
import { documentsSection, ratingsPanel } from './extra-sections.ts';
import { paymentAllocatedHandler } from './payment-allocated-handler.ts';
import { slaEscalationJob } from './sla-job.ts';
import { staffRoutes } from './staff-routes.ts';
import { staffSearchPanel, staffSearchRoutes } from './staff-search-routes.ts';
import { staffSearchPath } from './staff-search-views.ts';

export {
  applicationActionKinds,
  applicationStatuses,
  applicationTransitions,
  deriveApplicationStatus,
  nextStatus,
  type ApplicationActionKind,
  type ApplicationStatus,
} from './application-status.ts';
export {
  cancelApplication,
  confirmAsSecondParty,
  requestConfirmation,
  resubmitApplication,
  saveAnswers,
  startApplication,
  submitApplication,
  type ApplicantActor,
  type ApplicationsDeps,
} from './application-service.ts';
export { actAsStaff, type ReviewDeps, type StaffActionKind } from './review-service.ts';
export { escalateBreaches } from './sla-job.ts';
export { markPaidIfPaid } from './payment-allocated-handler.ts';
export { rateApplication, ratingSummary, type RatingSummary } from './rating-service.ts';
export {
  checkApplications,
  type ApplicationFinding,
  type ApplicationsCheckReport,
} from './applications-check.ts';
export { seedDemoForms } from './demo-forms-seed.ts';
export {
  findApplicationStatusForPhone,
  type ApplicationStatusForPhone,
} from './application-status-lookup.ts';
export { applicationsPaths } from './applications-paths.ts';
export { applicationsErrors, type ApplicationsErrorCode } from './applications-errors.ts';
export type { ApplicationsTables } from './applications-tables.ts';
export { demoForms, parseFormDefinition, type FormDefinition } from './forms/index.ts';
export { readApplicationDraft, type ApplicationDraft } from './application-draft-read.ts';
export {
  allFields,
  findPage,
  firstPageId,
  nextPageId,
  readPostedPage,
  renderCheckAnswers,
  renderFormPage,
  validateAnswers,
  type Answers,
  type FieldError,
} from './forms/index.ts';

export const applicationsModule: HudumaModule = {
  name: 'applications',
  errors: applicationsErrors,
  messages: joinBundles([{ en, sw }, formsMessages, { en: searchEn, sw: searchSw }]),
  navigation: [],
  staffNavigation: [{ href: applicationsPaths.queue, labelKey: 'applications.nav.queue',
    permission: 'applications.read' },
  { href: staffSearchPath, labelKey: 'applications.search.title',
    permission: 'applications.read' }],
  routes: async (app, deps: ModuleDeps) => {
    const storage = storageFor(deps.config);
    const review = { ...deps, signingKeys: await documentSigningKeys(deps.config) };
    await registerMultipart(app);
    await citizenRoutes(app, deps, storage);
    await fileRoutes(app, deps, storage);
    await myApplicationsRoutes(app, deps);
    await staffRoutes(app, review);
    await staffSearchRoutes(app, deps);
    registerAccountSection(app, { id: 'applications.mine', order: 10,
      render: accountSection(deps) });
    registerStaffHomePanel(app, { id: 'applications.queue', order: 10,
      render: staffHomePanel(deps) });
    registerAccountSection(app, { id: 'applications.documents', order: 30,
      render: documentsSection(deps) });
    registerStaffHomePanel(app, { id: 'applications.ratings', order: 40,
      render: ratingsPanel(deps) });
    registerStaffHomePanel(app, { id: 'applications.search', order: 5,
      render: staffSearchPanel() });
  },
  outboxHandlers: (deps) => ({ [paymentAllocatedTopic]: paymentAllocatedHandler(deps) }),
  periodicJobs: (deps) => [slaEscalationJob(deps)],
};
