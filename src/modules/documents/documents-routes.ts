/**
 * The documents module's routes: the receipt page and PDF (the payer's own, or staff of the
 * receipt's agency, treasury and auditors under /staff), /verify, and the published key.
 * A receipt the caller may not see is a 404, as if it did not exist.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  actingForAccountId,
  agencyScopeOf,
  isInAgencyScope,
  type Actor,
} from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { documentVerifyPage } from './document-verify-routes.ts';
import { documentsPaths, documentsRoutePatterns } from './documents-paths.ts';
import {
  receiptRows,
  renderReceiptPage,
  renderVerifyForm,
  renderVerifyUnknown,
  renderVerifyValid,
} from './documents-views.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import type { ReceiptRecord } from './receipt-repo.ts';
import { receiptLinkRoutes } from './receipt-link-routes.ts';
import { findReceiptById, signedPayloadOf } from './receipt-service.ts';
import type { SigningKeys } from './signing-keys.ts';
import { verifyReceiptPayload } from './verify-service.ts';

type IdParams = { Params: { id: string } };
const idParams = {
  type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'],
} as const;
const verifyQuery = {
  type: 'object', properties: { p: { type: 'string', maxLength: 4000 } },
} as const;

/** The payer (or whoever acts for them) sees their receipt; nobody else on this path. */
function payerMaySee(actor: Actor | undefined, receipt: ReceiptRecord): boolean {
  if (actor?.kind !== 'account') return false;
  return actor.accountId === receipt.payerAccountId ||
    actingForAccountId(actor) === receipt.payerAccountId;
}

function staffMaySee(actor: Actor | undefined, receipt: ReceiptRecord): boolean {
  if (actor === undefined || actor.kind === 'account') return false;
  return isInAgencyScope(agencyScopeOf(actor), receipt.agencyId);
}

function notFound(): ProblemError {
  return new ProblemError({ code: 'DOCUMENTS_RECEIPT_NOT_FOUND' });
}

export async function documentsRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  keys: SigningKeys,
): Promise<void> {
  const verifyUrlOf = (payload: string) =>
    `${deps.config.publicBaseUrl}${documentsPaths.verify(payload)}`;

  const visibleReceipt = async (request: FastifyRequest<IdParams>,
    maySee: (actor: Actor | undefined, receipt: ReceiptRecord) => boolean) => {
    const receipt = await findReceiptById(deps, request.params.id);
    if (receipt === undefined || !maySee(request.actor, receipt)) throw notFound();
    return receipt;
  };
  const showPage = (request: FastifyRequest, reply: FastifyReply, receipt: ReceiptRecord,
    pdfPath: string) => {
    const payload = signedPayloadOf(receipt, keys);
    return sendHtml(reply, renderReceiptPage(request.pageContext(), {
      receipt, payload, verifyUrl: verifyUrlOf(payload), pdfPath,
    }));
  };
  const sendPdf = async (request: FastifyRequest, reply: FastifyReply, receipt: ReceiptRecord) => {
    const { t, language } = request.pageContext();
    const payload = signedPayloadOf(receipt, keys);
    const pdf = await renderReceiptPdf({
      title: t('documents.receipt.title', { number: receipt.number }),
      rows: receiptRows(t, language, receipt),
      verifyUrl: verifyUrlOf(payload),
      verifyCaption: t('documents.pdf.verifyCaption', { address: verifyUrlOf('').split('?')[0] ??
        '' }),
      payloadCaption: t('documents.pdf.payloadCaption'),
      payload,
      issuedAt: receipt.issuedAt,
    });
    return reply.type('application/pdf').header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="receipt-${receipt.number}.pdf"`)
      .send(pdf);
  };

  const payer = { access: { permission: 'account.self' } } as const;
  const staff = { access: { permission: 'payments.read' } } as const;
  app.get<IdParams>(documentsRoutePatterns.receipt, { config: payer,
    schema: { hide: true, params: idParams } }, async (request, reply) =>
    showPage(request, reply, await visibleReceipt(request, payerMaySee),
      documentsPaths.receiptPdf(request.params.id)));
  app.get<IdParams>(documentsRoutePatterns.receiptPdf, { config: payer,
    schema: { hide: true, params: idParams } }, async (request, reply) =>
    sendPdf(request, reply, await visibleReceipt(request, payerMaySee)));
  await receiptLinkRoutes(app, deps, payerMaySee);
  app.get<IdParams>(documentsRoutePatterns.staffReceipt, { config: staff,
    schema: { hide: true, params: idParams } }, async (request, reply) =>
    showPage(request, reply, await visibleReceipt(request, staffMaySee),
      documentsPaths.staffReceiptPdf(request.params.id)));
  app.get<IdParams>(documentsRoutePatterns.staffReceiptPdf, { config: staff,
    schema: { hide: true, params: idParams } }, async (request, reply) =>
    sendPdf(request, reply, await visibleReceipt(request, staffMaySee)));

  app.get<{ Querystring: { p?: string } }>(documentsRoutePatterns.verify, {
    config: { access: 'public' }, schema: { hide: true, querystring: verifyQuery },
  }, async (request, reply) => {
    const context = request.pageContext();
    const input = request.query.p ?? '';
    if (input.trim() === '') return sendHtml(reply, renderVerifyForm(context));
    const documentAnswer = await documentVerifyPage(deps, keys, context, input);
    if (documentAnswer !== undefined) return sendHtml(reply, documentAnswer);
    const outcome = await verifyReceiptPayload(deps, keys, input);
    return outcome.kind === 'valid'
      ? sendHtml(reply, renderVerifyValid(context, outcome.facts, outcome.receipt))
      : sendHtml(reply, renderVerifyUnknown(context, input));
  });
  await signingKeyRoutes(app, keys);
}

async function signingKeyRoutes(app: FastifyInstance, keys: SigningKeys): Promise<void> {
  const options = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get(documentsPaths.signingKey, options, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send({
      algorithm: 'Ed25519',
      keyId: keys.keyId,
      publicKeyPem: keys.publicKeyPem,
      jwk: keys.publicJwk,
      // Every key a receipt may name in `k`: the current one and those retired by a rotation.
      keys: [{ status: 'current', key: keys }, ...keys.retired.map((key) =>
        ({ status: 'retired', key }))].map(({ status, key }) => ({
        keyId: key.keyId, status, publicKeyPem: key.publicKeyPem, jwk: key.publicJwk,
      })),
      payloadFormat: 'base64url(JSON {v,n,r,a,c,g,t,k}) "." base64url(Ed25519 signature ' +
        'of the JSON bytes); k names the key that signed it',
    }));
  app.get(documentsPaths.signingKeyPem, options, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('application/x-pem-file')
      .send(keys.publicKeyPem));
}
