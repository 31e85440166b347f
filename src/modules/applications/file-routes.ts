/**
 * Uploaded files, viewed inside the platform: by the applicant (or second party) of the
 * application, and by the agency's staff (a personal-data read, audited). Only a file the
 * application's answers name is served, from the storage adapter, never from a path.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { FileStorage } from '#platform/storage/index.ts';
import { applicationsDb, readAnswers, readState } from './application-repo.ts';
import type { ApplicationsDeps } from './application-service.ts';
import { applicationsRoutePatterns } from './applications-paths.ts';
import { ownedApplication } from './applicant-access.ts';
import { isStoredFileRef, type AnswerValue, type StoredFileRef } from './forms/index.ts';
import { applicationInScope } from './review-service.ts';
import { staffActorOf } from './staff-routes.ts';

type FileRequest = FastifyRequest<{ Params: { id: string; fileId: string } }>;
const fileParams = { type: 'object', properties: { id: { type: 'string', maxLength: 36 },
  fileId: { type: 'string', maxLength: 64 } }, required: ['id', 'fileId'] } as const;

/** The file reference with this id anywhere in the answers (groups included). */
export function findFileRef(value: AnswerValue | unknown, fileId: string):
  StoredFileRef | undefined {
  if (isStoredFileRef(value as AnswerValue)) {
    return (value as StoredFileRef).fileId === fileId ? value as StoredFileRef : undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findFileRef(item, fileId);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) {
      const found = findFileRef(item, fileId);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

async function sendStored(reply: FastifyReply, storage: FileStorage, ref: StoredFileRef):
  Promise<FastifyReply> {
  const stored = await storage.get(ref.fileId);
  if (stored === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
  const inline = /^image\/(png|jpeg)$|^application\/pdf$/.test(ref.type);
  return reply.header('content-type', ref.type)
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="file"`)
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', 'sandbox; default-src \'none\'; img-src \'self\'')
    .send(Buffer.from(stored.bytes));
}

export async function fileRoutes(app: FastifyInstance, deps: ApplicationsDeps,
  storage: FileStorage): Promise<void> {
  app.get(applicationsRoutePatterns.file, {
    config: { access: { permission: 'account.self' } },
    schema: { hide: true, params: fileParams },
  }, async (request: FileRequest, reply) => {
    const owned = await ownedApplication(deps, request, request.params.id,
      { secondParty: true });
    const ref = findFileRef(owned.answers, request.params.fileId);
    if (ref === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
    return sendStored(reply, storage, ref);
  });

  app.get(applicationsRoutePatterns.staffFile, {
    config: { access: { permission: 'applications.read' } },
    schema: { hide: true, params: fileParams },
  }, async (request: FileRequest, reply) => {
    const staff = staffActorOf(request);
    const application = await applicationInScope(deps, staff, request.params.id);
    const state = application === undefined ? undefined
      : await readState(applicationsDb(deps.db), application.id);
    if (application === undefined || state === undefined) {
      throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
    }
    const answers = await readAnswers(applicationsDb(deps.db), application.id,
      state.answersVersion);
    const ref = findFileRef(answers, request.params.fileId);
    if (ref === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
    const now = deps.clock.now();
    await applicationsDb(deps.db).transaction().execute(async (trx) => recordAuditInTrx(trx, {
      action: 'APPLICATION_FILE_VIEWED', actor: auditActorOf(request.actor),
      subject: { type: 'application', id: application.id }, agencyId: application.agencyId,
      personalDataRead: true, detail: { fileId: ref.fileId },
    }, now));
    return sendStored(reply, storage, ref);
  });
}
