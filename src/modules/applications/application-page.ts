/** Shows an application's page to its applicant or second party. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfField } from '#modules/authorisation/index.ts';
import { documentsPaths } from '#modules/documents/index.ts';
import { invoiceViewById } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { sendHtml } from '#web/index.ts';
import { applicationsDb, listActions } from './application-repo.ts';
import type { ApplicationsDeps } from './application-service.ts';
import { renderApplicationPage } from './application-views.ts';
import { applicationsPaths } from './applications-paths.ts';
import type { Owned } from './applicant-access.ts';
import { renderAnswers } from './forms/index.ts';
import { isRated } from './rating-service.ts';
import { serviceNamesOf } from './service-names.ts';

export async function showApplication(
  deps: ApplicationsDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  owned: Owned,
  problemKey?: string,
  status = 200,
): Promise<FastifyReply> {
  const db = applicationsDb(deps.db);
  const { application, state } = owned;
  const actions = await listActions(db, application.id);
  const confirmed = actions.some((action) => action.kind === 'confirm' &&
    action.detail?.['answersVersion'] === state.answersVersion);
  const invoice = state.invoiceId === null ? undefined
    : await invoiceViewById(deps, state.invoiceId, deps.clock.now());
  const context = request.pageContext();
  return sendHtml(reply, renderApplicationPage(context, {
    id: application.id, reference: application.reference,
    service: await serviceNamesOf(deps, application.serviceId), state, actions,
    viewer: owned.viewer, needsSecondParty: owned.form.secondParty !== undefined,
    secondPartyConfirmed: confirmed, billReference: invoice?.reference ?? null,
    billExpired: invoice?.status === 'expired',
    documentHref: state.documentId === null ? null : documentsPaths.document(state.documentId),
    rated: state.status === 'issued' ? await isRated(deps, application.id) : false,
    csrf: csrfField(request), clientActionId: uuidv7(),
    answers: renderAnswers(context, { def: owned.form, answers: owned.answers,
      fileHref: (fileId: string) => applicationsPaths.file(application.id, fileId) }),
    ...(problemKey === undefined ? {} : { problemKey }),
  }), status);
}
