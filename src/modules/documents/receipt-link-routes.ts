/**
 * /r/<receipt number>: the short link payment messages carry (an SMS has 160 characters). It
 * goes to the receipt's page for the payer (or whoever acts for them); anyone else gets "not
 * found", and a visitor not signed in is sent to sign in and back.
 */
import type { FastifyInstance } from 'fastify';
import type { Actor } from '#modules/authorisation/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { documentsPaths, documentsRoutePatterns } from './documents-paths.ts';
import type { ReceiptRecord } from './receipt-repo.ts';
import { findReceiptByNumber } from './receipt-service.ts';

type NumberParams = { Params: { number: string } };
const numberParams = {
  type: 'object', properties: { number: { type: 'string', maxLength: 40 } },
  required: ['number'],
} as const;

export async function receiptLinkRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  payerMaySee: (actor: Actor | undefined, receipt: ReceiptRecord) => boolean,
): Promise<void> {
  app.get<NumberParams>(documentsRoutePatterns.receiptByNumber, {
    config: { access: { permission: 'account.self' } },
    schema: { hide: true, params: numberParams },
  }, async (request, reply) => {
    const receipt = await findReceiptByNumber(deps, request.params.number);
    if (receipt === undefined || !payerMaySee(request.actor, receipt)) {
      throw new ProblemError({ code: 'DOCUMENTS_RECEIPT_NOT_FOUND' });
    }
    return reply.redirect(documentsPaths.receipt(receipt.id), 303);
  });
}
