/**
 * Routes of issued documents: the holder's list, page and PDF (account.self, only the
 * holder); the staff page and PDF (applications.read, the issuing agency's staff, treasury and
 * auditors); the revoke form (applications.decide, the issuing agency only); and the JSON
 * answer of /verify. A document the caller may not see is a 404, as if it did not exist.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  actingForAccountId,
  agencyScopeOf,
  auditActorOf,
  csrfField,
  hasPermission,
  isInAgencyScope,
  type Actor,
} from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { documentPayloadKeyId, kenyaDate } from './document-payload.ts';
import { renderDocumentPdf } from './document-pdf.ts';
import { documentStatusOf } from './document-verify-service.ts';
import { documentVerifyApiRoute } from './document-verify-routes.ts';
import { documentsPaths, documentsRoutePatterns } from './documents-paths.ts';
import {
  findIssuedDocument,
  listDocumentsOfHolder,
  revokeDocument,
  signedDocumentFactsOf,
  type RevokeDocumentInput,
} from './issued-document-service.ts';
import { documentLimits, type IssuedDocument } from './issued-document-types.ts';
import {
  documentRows,
  documentTitle,
  renderDocumentList,
  renderDocumentPage,
  revokeSection,
  type RevokeFormState,
} from './issued-document-views.ts';
import type { SigningKeys } from './signing-keys.ts';

type IdParams = { Params: { id: string } };
type RevokeForm = IdParams & { Body: { reason?: string } };
const idParams = {
  type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'],
} as const;
const revokeBody = {
  type: 'object', properties: { reason: { type: 'string', maxLength: 2000 } },
} as const;

export type IssuedDocumentRouteOptions = Readonly<{
  /** Tells the holder of a revoked document (wired by the app; optional). */
  notifyHolderInTrx?: RevokeDocumentInput['notifyHolderInTrx'];
}>;

function holderMaySee(actor: Actor | undefined, document: IssuedDocument): boolean {
  if (actor?.kind !== 'account') return false;
  return actor.accountId === document.holderAccountId ||
    actingForAccountId(actor) === document.holderAccountId;
}

function staffMaySee(actor: Actor | undefined, document: IssuedDocument): boolean {
  if (actor === undefined || actor.kind === 'account') return false;
  return isInAgencyScope(agencyScopeOf(actor), document.agencyId);
}

function notFound(): ProblemError {
  return new ProblemError({ code: 'DOCUMENTS_DOCUMENT_NOT_FOUND' });
}

function documentPages(deps: ModuleDeps) {
  const verifyUrlOf = (payload: string) =>
    `${deps.config.publicBaseUrl}${documentsPaths.verify(payload)}`;
  const visible = async (request: FastifyRequest<IdParams>,
    maySee: (actor: Actor | undefined, document: IssuedDocument) => boolean) => {
    const document = await findIssuedDocument(deps, request.params.id);
    if (document === undefined || !maySee(request.actor, document)) throw notFound();
    return document;
  };
  const showPage = (request: FastifyRequest, reply: FastifyReply, document: IssuedDocument,
    staff: Readonly<{ state?: RevokeFormState; status?: number; notice?: string }> | undefined) => {
    const context = request.pageContext();
    const facts = signedDocumentFactsOf(document, keyIdOf(document));
    const mayRevoke = hasPermission(request.actor, 'applications.decide');
    return sendHtml(reply, renderDocumentPage(context, {
      document, facts, status: documentStatusOf(document, facts, deps.clock.now()),
      verifyUrl: verifyUrlOf(document.payload),
      pdfPath: staff === undefined ? documentsPaths.documentPdf(document.id)
        : documentsPaths.staffDocumentPdf(document.id),
      ...(staff === undefined ? {} : { staffSection: revokeSection(context.t, document,
        csrfField(request), staff.state, mayRevoke) }),
      ...(staff?.notice === undefined ? {} : { notice: staff.notice }),
      hasError: staff?.state?.errorKey !== undefined,
    }), staff?.status ?? 200);
  };
  const sendPdf = async (request: FastifyRequest, reply: FastifyReply,
    document: IssuedDocument) => {
    const { t, language } = request.pageContext();
    const facts = signedDocumentFactsOf(document, keyIdOf(document));
    const pdf = await renderDocumentPdf({
      nationalLine: t('issuedDocuments.nationalLine'),
      agencyName: language === 'sw' ? document.agencyName.sw : document.agencyName.en,
      title: documentTitle(t, language, document),
      rows: documentRows(t, language, document, facts),
      ...(document.revokedAt === null ? {} : { revokedNotice: t('issuedDocuments.pdf.revokedNotice',
        { date: kenyaDate(document.revokedAt) }) }),
      verifyUrl: verifyUrlOf(document.payload),
      verifyCaption: t('issuedDocuments.pdf.verifyCaption',
        { address: `${deps.config.publicBaseUrl}${documentsPaths.verify()}` }),
      payloadCaption: t('issuedDocuments.pdf.payloadCaption'),
      payload: document.payload,
      issuedAt: document.issuedAt,
    });
    return reply.type('application/pdf').header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="${document.number}.pdf"`)
      .send(pdf);
  };

  return { visible, showPage, sendPdf };
}

type DocumentPages = ReturnType<typeof documentPages>;

export async function issuedDocumentRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  keys: SigningKeys,
  options: IssuedDocumentRouteOptions = {},
): Promise<void> {
  const { visible, showPage, sendPdf } = documentPages(deps);
  const holder = { access: { permission: 'account.self' } } as const;
  const staff = { access: { permission: 'applications.read' } } as const;
  const schema = { hide: true, params: idParams } as const;
  app.get(documentsPaths.documents, { config: holder, schema: { hide: true } },
    async (request, reply) => {
      const actor = request.actor;
      const accountId = actor?.kind === 'account' ? actingForAccountId(actor) : '';
      return sendHtml(reply, renderDocumentList(request.pageContext(),
        await listDocumentsOfHolder(deps, accountId)));
    });
  app.get<IdParams>(documentsRoutePatterns.document, { config: holder, schema },
    async (request, reply) => showPage(request, reply, await visible(request, holderMaySee),
      undefined));
  app.get<IdParams>(documentsRoutePatterns.documentPdf, { config: holder, schema },
    async (request, reply) => sendPdf(request, reply, await visible(request, holderMaySee)));
  app.get<IdParams>(documentsRoutePatterns.staffDocument, { config: staff, schema },
    async (request, reply) => showPage(request, reply, await visible(request, staffMaySee), {}));
  app.get<IdParams>(documentsRoutePatterns.staffDocumentPdf, { config: staff, schema },
    async (request, reply) => sendPdf(request, reply, await visible(request, staffMaySee)));

  revokeRoute(app, deps, documentPages(deps), options);
  await documentVerifyApiRoute(app, deps, keys);
}

function revokeRoute(app: FastifyInstance, deps: ModuleDeps,
  { visible, showPage }: DocumentPages, options: IssuedDocumentRouteOptions): void {
  app.post<RevokeForm>(documentsRoutePatterns.revoke, {
    config: { access: { permission: 'applications.decide' } },
    schema: { hide: true, params: idParams, body: revokeBody },
  }, async (request, reply) => {
    const document = await visible(request, staffMaySee);
    const actor = request.actor;
    const reason = request.body.reason ?? '';
    const revoked = await revokeDocument(deps, {
      documentId: document.id, reason, actor: auditActorOf(actor),
      agencyScope: actor === undefined ? '' : agencyScopeOf(actor), now: deps.clock.now(),
      ...(options.notifyHolderInTrx === undefined ? {}
        : { notifyHolderInTrx: options.notifyHolderInTrx }),
    });
    if (!revoked.ok) {
      if (revoked.error.code === 'DOCUMENTS_DOCUMENT_NOT_FOUND') throw notFound();
      if (revoked.error.code === 'DOCUMENTS_DOCUMENT_ALREADY_REVOKED') {
        const { t } = request.pageContext();
        return showPage(request, reply, await visible(request, staffMaySee),
          { status: 409, notice: t('issuedDocuments.staff.alreadyRevoked') });
      }
      const errorKey = reason.trim().length > documentLimits.revocationReasonLengthMax
        ? 'issuedDocuments.staff.reasonTooLong' : 'issuedDocuments.staff.reasonMissing';
      return showPage(request, reply, document, { state: { reason, errorKey }, status: 400 });
    }
    return reply.redirect(documentsPaths.staffDocument(document.id), 303);
  });
}


/** The key id a stored payload names (the key that signed it at issue). */
function keyIdOf(document: IssuedDocument): string {
  return documentPayloadKeyId(document.payload) ?? '';
}
