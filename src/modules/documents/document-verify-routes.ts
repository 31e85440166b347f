/**
 * The JSON answer of /verify (GET /api/v1/verify?p=<payload or the /verify address>), for
 * documents and receipts alike, and the /verify page's answer for a document payload. Public:
 * it states only what the signed payload already says, plus whether it was revoked (and on
 * which day; never why).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { ModuleDeps } from '#platform/module.ts';
import type { PageContext } from '#web/index.ts';
import {
  isDocumentInput,
  publicAnswerOf,
  verifyDocumentOnline,
} from './document-verify-service.ts';
import { documentsPaths } from './documents-paths.ts';
import { renderDocumentVerifyAnswer } from './issued-document-views.ts';
import type { SigningKeys } from './signing-keys.ts';
import { verifyReceiptPayload } from './verify-service.ts';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD.' });

const VerifyQuery = Type.Object({
  p: Type.String({ minLength: 1, maxLength: 4000,
    description: 'The signed payload from the QR code, or the whole /verify address.' }),
});

const VerifyAnswer = Type.Object({
  status: Type.Union([Type.Literal('valid'), Type.Literal('revoked'), Type.Literal('expired'),
    Type.Literal('unknown')], { description: 'unknown: not issued by Huduma, or changed.' }),
  kind: Type.Optional(Type.Union([Type.Literal('document'), Type.Literal('receipt')])),
  document: Type.Optional(Type.Object({
    type: Type.Union([Type.Literal('certificate'), Type.Literal('licence'),
      Type.Literal('permit'), Type.Literal('notice')]),
    number: Type.String(),
    serviceName: Type.String(),
    agencyName: Type.String(),
    holderName: Type.String(),
    issuedOn: IsoDate,
    expiresOn: Type.Union([IsoDate, Type.Null()]),
    revokedOn: Type.Optional(IsoDate),
  })),
  receipt: Type.Optional(Type.Object({
    number: Type.String(),
    invoiceReference: Type.String(),
    agencyName: Type.String(),
    amountMinor: Type.String({ pattern: '^\\d+$', description: 'Minor units (cents).' }),
    currency: Type.String(),
    paidAt: Type.String({ format: 'date-time' }),
  })),
});
export type VerifyAnswer = Static<typeof VerifyAnswer>;

async function answerOf(deps: ModuleDeps, keys: SigningKeys, input: string):
  Promise<VerifyAnswer> {
  if (isDocumentInput(input)) {
    const answer = publicAnswerOf(await verifyDocumentOnline(deps, keys, input, deps.clock.now()));
    if (answer.status === 'unknown') return { status: 'unknown' };
    const { facts } = answer;
    return {
      status: answer.status, kind: 'document',
      document: {
        type: facts.template, number: facts.number, serviceName: facts.serviceName,
        agencyName: facts.agencyName, holderName: facts.holderName, issuedOn: facts.issuedOn,
        expiresOn: facts.expiresOn,
        ...(answer.status === 'revoked' ? { revokedOn: answer.revokedOn } : {}),
      },
    };
  }
  const receipt = await verifyReceiptPayload(deps, keys, input);
  if (receipt.kind !== 'valid') return { status: 'unknown' };
  const { facts } = receipt;
  return {
    status: 'valid', kind: 'receipt',
    receipt: {
      number: facts.receiptNumber, invoiceReference: facts.invoiceReference,
      agencyName: facts.agencyName, amountMinor: facts.amount.amountMinor.toString(),
      currency: facts.amount.currency, paidAt: facts.paidAt.toISOString(),
    },
  };
}

export async function documentVerifyApiRoute(scope: FastifyInstance, deps: ModuleDeps,
  keys: SigningKeys): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(documentsPaths.verifyApi, {
    config: { access: 'public' },
    schema: {
      summary: 'Check a document or receipt from its QR code: valid, revoked, expired, unknown',
      tags: ['documents'],
      querystring: VerifyQuery,
      response: { 200: VerifyAnswer },
    },
  }, async (request, reply) => reply.header('cache-control', 'no-store')
    .send(await answerOf(deps, keys, request.query.p)));
}

/** The /verify page's answer when the input is a document payload; undefined otherwise. */
export async function documentVerifyPage(deps: ModuleDeps, keys: SigningKeys,
  context: PageContext, input: string): Promise<string | undefined> {
  if (!isDocumentInput(input)) return undefined;
  const outcome = await verifyDocumentOnline(deps, keys, input, deps.clock.now());
  return renderDocumentVerifyAnswer(context, publicAnswerOf(outcome), input);
}
