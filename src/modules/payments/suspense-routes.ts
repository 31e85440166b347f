/**
 * The suspense register: every receipt that matched no invoice, with the reference as the
 * payer typed it and the amount, so an auditor can see that nothing was lost and the
 * reconciliation team can match it (maker-checker, in reconciliation). Nothing else about the
 * payer is shown. A receipt held here because its confirmation was out of bounds (not our
 * paybill, a time far off, an amount M-Pesa cannot send) carries its flag: the reason.
 */
import type { FastifyInstance } from 'fastify';
import { toMajorString } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { paymentsDb } from './invoice-repo.ts';
import { findSuspenseFlags } from './payment-alert-repo.ts';
import { listSuspensePayments } from './payment-repo.ts';

export const suspensePath = '/api/v1/payments/suspense';
const pageSizeMax = 200;
const pageMax = 10_000;

const itemSchema = {
  type: 'object',
  properties: {
    receiptNumber: { type: ['string', 'null'] },
    amount: { type: 'string', description: 'Major units, two decimals (e.g. "1050.00")' },
    amountMinor: { type: 'string' },
    currency: { type: 'string' },
    accountReference: { type: 'string', description: 'What the payer typed as account number' },
    paidAt: { type: 'string', format: 'date-time' },
    recordedAt: { type: 'string', format: 'date-time' },
    flag: {
      type: ['string', 'null'],
      description: 'Why it was held out of bounds (never credited on its word); null when it ' +
        'only matched no invoice',
    },
  },
  required: ['receiptNumber', 'amount', 'amountMinor', 'currency', 'accountReference', 'paidAt',
    'recordedAt', 'flag'],
} as const;

export async function suspenseRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  app.get<{ Querystring: { page: number; pageSize: number } }>(suspensePath, {
    config: { access: { permission: 'reconciliation.read' } },
    schema: {
      tags: ['payments'],
      summary: 'The suspense register: receipts that matched no invoice, oldest first',
      querystring: {
        type: 'object',
        properties: {
          page: { type: 'integer', minimum: 1, maximum: pageMax, default: 1 },
          pageSize: { type: 'integer', minimum: 1, maximum: pageSizeMax, default: 50 },
        },
        additionalProperties: false,
      },
      response: {
        200: {
          type: 'object',
          properties: {
            items: { type: 'array', items: itemSchema },
            page: { type: 'integer' },
            pageSize: { type: 'integer' },
          },
          required: ['items', 'page', 'pageSize'],
        },
      },
    },
  }, async (request) => {
    const { page, pageSize } = request.query;
    const rows = await listSuspensePayments(paymentsDb(deps.db),
      { limit: pageSize, offset: (page - 1) * pageSize });
    const flags = await findSuspenseFlags(paymentsDb(deps.db), rows.map((row) => row.id));
    return {
      page,
      pageSize,
      items: rows.map((row) => ({
        receiptNumber: row.receiptNumber,
        amount: toMajorString(row.amount),
        amountMinor: row.amount.amountMinor.toString(),
        currency: row.amount.currency,
        accountReference: row.accountReference,
        paidAt: row.paidAt.toISOString(),
        recordedAt: row.recordedAt.toISOString(),
        flag: flags.get(row.id) ?? null,
      })),
    };
  });
}
