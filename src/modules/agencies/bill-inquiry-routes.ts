/**
 * The bill inquiry page for whoever holds agency.integration.manage (the agency administrator
 * for their agency; a platform administrator for a named agency): read the agency's routing,
 * register or change it (the lookup signing secret shown once when registered), rotate the
 * secret. The configuration itself lives with payments (its bill-inquiry), which routes C2B
 * validation by it (docs/bill-inquiry.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  agencyScopeOf,
  auditActorOf,
  csrfField,
  type Actor,
} from '#modules/authorisation/index.ts';
import {
  billInquiryErrors,
  listBillInquiryRoutes,
  rotateBillInquirySecret,
  saveBillInquiryRoute,
  type BillInquiryErrorCode,
} from '#modules/payments/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import {
  billInquiryPaths,
  renderBillInquiryPage,
  type BillInquiryForm,
  type BillInquiryPageInput,
} from './bill-inquiry-views.ts';

const Field = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const SaveBody = Type.Object({
  agencyId: Field(100), prefix: Field(10), service: Field(100), lookupUrl: Field(4000),
  timeoutMs: Field(10), fallback: Field(10), allowsPartPayment: Field(10),
});
const RotateBody = Type.Object({ agencyId: Field(100) });
const ListQuery = Type.Object({ notice: Type.Optional(Type.Literal('saved')) });

/** Which form field each failure points at. */
const fieldOf: Readonly<Record<BillInquiryErrorCode, keyof BillInquiryForm>> = {
  PAY_BILL_INQUIRY_PREFIX_INVALID: 'prefix',
  PAY_BILL_INQUIRY_PREFIX_TAKEN: 'prefix',
  PAY_BILL_INQUIRY_PREFIX_FIXED: 'prefix',
  PAY_BILL_INQUIRY_URL_INVALID: 'lookupUrl',
  PAY_BILL_INQUIRY_TIMEOUT_INVALID: 'timeoutMs',
  PAY_BILL_INQUIRY_SERVICE_NOT_FOUND: 'service',
  PAY_BILL_INQUIRY_AGENCY_REQUIRED: 'agencyId',
  PAY_BILL_INQUIRY_NOT_FOUND: 'agencyId',
};

function scopeOf(actor: Actor | undefined) {
  if (actor === undefined) throw new Error('a signed-in actor is required');
  return agencyScopeOf(actor);
}

/** Whole milliseconds, or NaN (refused by the service as out of range). */
function timeoutOf(text: string): number {
  return /^[0-9]{1,6}$/.test(text.trim()) ? Number.parseInt(text.trim(), 10) : Number.NaN;
}

export async function billInquiryRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const managers = { access: { permission: 'agency.integration.manage' as const } };
  const show = async (request: FastifyRequest, reply: FastifyReply,
    view: Omit<BillInquiryPageInput, 'routes' | 'csrf' | 'platformWide'>, status = 200) => {
    const agencyScope = scopeOf(request.actor);
    const routes = await listBillInquiryRoutes(deps, agencyScope);
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderBillInquiryPage(request.pageContext(), { ...view, routes,
        platformWide: agencyScope === 'all', csrf: csrfField(request) }), status);
  };

  app.get(billInquiryPaths.page, { config: managers,
    schema: { hide: true, querystring: ListQuery } }, async (request, reply) =>
    show(request, reply, request.query.notice === 'saved'
      ? { notice: 'agencies.billInquiry.saved' } : {}));

  app.post(billInquiryPaths.page, { config: managers, schema: { hide: true, body: SaveBody } },
    async (request, reply) => {
      const body = request.body;
      const form: BillInquiryForm = { agencyId: body.agencyId ?? '', prefix: body.prefix ?? '',
        service: body.service ?? '', lookupUrl: (body.lookupUrl ?? '').trim(),
        timeoutMs: body.timeoutMs ?? '', fallback: body.fallback === 'accept' ? 'accept'
          : 'reject', allowsPartPayment: body.allowsPartPayment === 'yes' };
      const saved = await saveBillInquiryRoute(deps, { scope: scopeOf(request.actor),
        agencyId: form.agencyId, prefix: form.prefix, service: form.service,
        lookupUrl: form.lookupUrl, timeoutMs: timeoutOf(form.timeoutMs),
        fallback: form.fallback === 'accept' ? 'accept' : 'reject',
        allowsPartPayment: form.allowsPartPayment,
        production: deps.config.environment === 'production',
        actor: auditActorOf(request.actor), now: deps.clock.now() });
      if (!saved.ok) {
        return show(request, reply, { form, problem: {
          messageKey: `agencies.billInquiry.error.${saved.error.code}`,
          field: fieldOf[saved.error.code] } }, billInquiryErrors[saved.error.code].status);
      }
      if (saved.value.secret !== undefined) {
        return show(request, reply, { secret: saved.value.secret }, 201);
      }
      return reply.redirect(`${billInquiryPaths.page}?notice=saved`, 303);
    });

  app.post(billInquiryPaths.rotate, { config: managers,
    schema: { hide: true, body: RotateBody } }, async (request, reply) => {
    const rotated = await rotateBillInquirySecret(deps, { scope: scopeOf(request.actor),
      agencyId: request.body.agencyId, actor: auditActorOf(request.actor),
      now: deps.clock.now() });
    if (rotated.ok) return show(request, reply, { secret: rotated.value.secret });
    return reply.callNotFound();
  });
}
