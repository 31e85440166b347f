/**
 * The citizen pay pages: issue an invoice for a service, the pay page, the M-Pesa prompt,
 * paying from credit, and the receipt hand-over to the documents module. Every form posts a
 * CSRF token (checked globally) and answers 303 (POST/Redirect/GET); a form with a problem is
 * shown again with the problem, as pay pages on GOV.UK Pay do.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditActorOf, csrfField } from '#modules/authorisation/index.ts';
import { findServiceById, findServiceByIdOrSlug } from '#modules/catalogue/index.ts';
import { documentsPaths, listInvoiceReceipts } from '#modules/documents/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { pickText, sendHtml } from '#web/index.ts';
import { payerCreditBalance, payInvoiceFromCredit } from '../credit-service.ts';
import { createInvoiceForService, type InvoiceView } from '../invoice-service.ts';
import { normalisePhoneNumber } from '../mpesa/index.ts';
import { paymentsErrors } from '../payments-errors.ts';
import { accountMoneyPaths } from './account-money-paths.ts';
import { actingForNames, payerAccountIdOf, payersInvoice, signedInAccountIdOf }
  from './pay-access.ts';
import { payPaths, payRoutePatterns } from './pay-paths.ts';
import { renderPayPage, type PayPageInput } from './pay-views.ts';
import { allowFormRedirectTo } from './form-redirect.ts';
import {
  acquirerCardAdapter,
  channelAdaptersFor,
  type PaymentChannelAdapter,
} from './payment-channels.ts';
import { stkStarterFor, type StkStarter } from './stk-port.ts';

export type PayRoutesOptions = Readonly<{
  /** Starts an STK push; the payments STK service by default (tests pass their own). */
  startStkPush?: StkStarter;
  channels?: readonly PaymentChannelAdapter[];
}>;

const payer = { access: { permission: 'account.self' } } as const;
type ReferenceParams = { Params: { reference: string } };
const referenceParams = {
  type: 'object', properties: { reference: { type: 'string', maxLength: 40 } },
  required: ['reference'],
} as const;
const stkBody = {
  type: 'object',
  properties: {
    phone: { type: 'string', maxLength: 40 }, requestKey: { type: 'string', maxLength: 64 },
  },
} as const;
type StkForm = { Params: { reference: string }; Body: { phone?: string; requestKey?: string } };

/** Copy for each failure a pay action can meet (other codes get the general line). */
const problemKeys: Readonly<Record<string, string>> = {
  PAY_INVOICE_NOT_PAYABLE: 'payPages.problem.notPayable',
  PAY_STK_PUSH_NOT_SENT: 'payPages.problem.notSent',
  PAY_CREDIT_NOT_AVAILABLE: 'payPages.problem.noCredit',
  PAY_PHONE_NUMBER_INVALID: 'payPages.stk.phoneInvalid',
};

function statusOf(code: string): number {
  return (paymentsErrors as Readonly<Record<string, { status: number }>>)[code]?.status ?? 500;
}

type PayPageRenderer = (request: FastifyRequest, reply: FastifyReply, invoice: InvoiceView,
  extra?: Partial<PayPageInput>, status?: number) => Promise<FastifyReply>;

function payPageRenderer(deps: ModuleDeps, channels: readonly PaymentChannelAdapter[]):
  PayPageRenderer {
  return async (request, reply, invoice, extra = {}, status = 200) => {
    const context = request.pageContext();
    const service = await findServiceById(deps, invoice.serviceId);
    const serviceName = pickText(context.language,
      { en: service?.nameEn ?? invoice.lines[0]?.description, sw: service?.nameSw });
    const credit = await payerCreditBalance(deps, invoice.payerAccountId, invoice.total.currency);
    const actingFor = await actingForNames(deps, request);
    if (channels.some((channel) => channel === acquirerCardAdapter)) {
      allowFormRedirectTo(reply, deps.config.cards.acquirerBaseUrl);
    }
    return sendHtml(reply, renderPayPage(context, {
      invoice, serviceName, paybill: deps.config.mpesa.shortcode, credit, channels,
      requestKey: uuidv7(), csrf: csrfField(request),
      ...(actingFor === undefined ? {} : { actingFor }), ...extra,
    }), status);
  };
}

export async function payRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  options: PayRoutesOptions = {},
): Promise<void> {
  const showPayPage = payPageRenderer(deps,
    options.channels ?? channelAdaptersFor(deps.config.cards));
  app.post<{ Params: { slug: string } }>(payRoutePatterns.startForService, {
    config: payer,
    schema: { hide: true, params: { type: 'object',
      properties: { slug: { type: 'string', maxLength: 200 } }, required: ['slug'] } },
  }, async (request, reply) => {
    // A service with an application form is paid as a step of applying, never as a bare fee.
    const service = await findServiceByIdOrSlug(deps, request.params.slug);
    if (service?.hasApplicationForm === true) {
      return reply.redirect(accountMoneyPaths.applyForService(service.slug), 303);
    }
    const created = await createInvoiceForService(deps, {
      service: request.params.slug, payerAccountId: payerAccountIdOf(request),
      now: deps.clock.now(), actor: auditActorOf(request.actor),
      // Pressing Pay again (a double click, the back button) shows the same bill.
      reuseOpen: true,
    });
    if (!created.ok) throw new ProblemError(created.error);
    return reply.redirect(payPaths.invoice(created.value.reference), 303);
  });

  app.get<ReferenceParams>(payRoutePatterns.invoice, {
    config: payer, schema: { hide: true, params: referenceParams },
  }, async (request, reply) => {
    const invoice = await payersInvoice(deps, request, request.params.reference);
    // A reference typed loosely (lower case, spaces) gets one canonical address.
    if (invoice.reference !== request.params.reference) {
      return reply.redirect(payPaths.invoice(invoice.reference), 303);
    }
    return showPayPage(request, reply, invoice);
  });

  await payActionRoutes(app, deps, showPayPage, options.startStkPush ?? stkStarterFor(deps));

  app.get<ReferenceParams>(payRoutePatterns.receipt, {
    config: payer, schema: { hide: true, params: referenceParams },
  }, async (request, reply) => {
    const invoice = await payersInvoice(deps, request, request.params.reference);
    // Receipts are issued when the money is allocated (allocation-receipt-service.ts), never
    // on a first look; until the newest is issued, the invoice page shows the payment.
    const [newest] = await listInvoiceReceipts(deps, invoice.id);
    return reply.redirect(newest === undefined ? payPaths.invoice(invoice.reference)
      : documentsPaths.receipt(newest.id), 303);
  });
}

/** The pay page's two forms: the M-Pesa prompt and paying from credit. */
async function payActionRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  showPayPage: PayPageRenderer,
  startStkPush: StkStarter,
): Promise<void> {
  app.post<StkForm>(payRoutePatterns.stkPush, {
    config: payer, schema: { hide: true, params: referenceParams, body: stkBody },
  }, async (request, reply) => {
    const invoice = await payersInvoice(deps, request, request.params.reference);
    const typed = request.body.phone ?? '';
    const phoneNumber = normalisePhoneNumber(typed);
    if (phoneNumber === undefined) {
      const errorKey = typed.trim() === '' ? 'payPages.stk.phoneMissing'
        : 'payPages.stk.phoneInvalid';
      return showPayPage(request, reply, invoice, { phone: { value: typed, errorKey } }, 400);
    }
    const requestKey = request.body.requestKey ?? '';
    if (!isUuid(requestKey)) {
      return showPayPage(request, reply, invoice, { problemKey: 'payPages.problem.general' }, 400);
    }
    const started = await startStkPush({
      invoiceReference: invoice.reference, phone: phoneNumber,
      // The person who asked (acting for a dependant or business or not): the receipt names
      // them as the one who paid when they are not the payer.
      requestedBy: signedInAccountIdOf(request),
      requestKey, now: deps.clock.now(),
    });
    if (!started.ok) {
      const code = started.error.code;
      return showPayPage(request, reply, invoice,
        { problemKey: problemKeys[code] ?? 'payPages.problem.general' }, statusOf(code));
    }
    return reply.redirect(payPaths.waiting(invoice.reference, started.value.pushId), 303);
  });

  app.post<ReferenceParams>(payRoutePatterns.credit, {
    config: payer, schema: { hide: true, params: referenceParams },
  }, async (request, reply) => {
    const invoice = await payersInvoice(deps, request, request.params.reference);
    const paid = await payInvoiceFromCredit(deps, {
      invoiceReference: invoice.reference, payerAccountId: invoice.payerAccountId,
      now: deps.clock.now(),
    });
    if (!paid.ok) {
      const code = paid.error.code;
      return showPayPage(request, reply, invoice,
        { problemKey: problemKeys[code] ?? 'payPages.problem.general' }, statusOf(code));
    }
    return reply.redirect(payPaths.invoice(invoice.reference), 303);
  });
}
