/** JSON Schemas of the integration API (docs/agency-api.md), and its payments cursor. */
import { Type } from 'typebox';
import { isUuid } from '#platform/ids/index.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const MoneyJson = Type.Object({
  amountMinor: Type.String({ pattern: '^-?\\d+$', description: 'Minor units (cents).' }),
  currency: Type.String({ description: 'ISO 4217: KES or USD.' }),
});

const Instant = Type.String({ format: 'date-time' });

export const AgencyReference = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$',
  description: 'The agency\'s own reference for the bill (1-64 of A-Z a-z 0-9 . _ : -).' });

export const AgencyInvoiceBody = Type.Object({
  agencyReference: AgencyReference,
  service: Type.String({ minLength: 1, maxLength: 100,
    description: 'One of the agency\'s own services, by id or slug.' }),
  payerAccountId: Type.String({ format: 'uuid',
    description: 'The payer\'s Huduma account id (the account overpayments are credited to).' }),
}, { additionalProperties: false });

export const InvoiceParams = Type.Object({ reference: AgencyReference });

export const AgencyInvoiceResponse = Type.Object({
  agencyReference: Type.String(),
  id: Type.String({ format: 'uuid' }),
  billReference: Type.String({ description: 'What the payer types as the paybill account.' }),
  serviceId: Type.String(),
  payerAccountId: Type.String(),
  status: Type.String(),
  total: MoneyJson,
  paid: MoneyJson,
  balanceDue: MoneyJson,
  issuedAt: Instant,
  expiresAt: Instant,
  lines: Type.Array(Type.Object({ kind: Type.String(), description: Type.String(),
    amount: MoneyJson })),
  payments: Type.Array(Type.Object({
    source: Type.String({ description: 'payment, or payer_credit.' }),
    receiptNumber: Nullable(Type.String()),
    channel: Nullable(Type.String()),
    amount: MoneyJson,
    allocatedAt: Instant,
  })),
});

export const PaymentsQuery = Type.Object({
  from: Type.String({ format: 'date-time', description: 'Paid at or after (inclusive).' }),
  to: Type.String({ format: 'date-time', description: 'Paid before (exclusive).' }),
  cursor: Type.Optional(Type.String({ maxLength: 200,
    description: 'nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
}, { additionalProperties: false });

export const PaymentsResponse = Type.Object({
  payments: Type.Array(Type.Object({
    id: Type.String(),
    receiptNumber: Nullable(Type.String()),
    channel: Type.String(),
    amount: MoneyJson,
    paidAt: Instant,
    billReference: Type.String(),
    agencyReference: Nullable(Type.String()),
    disposition: Type.String({ description: 'allocated, or credited (the bill was closed).' }),
  })),
  nextCursor: Nullable(Type.String()),
});

export const BatchesQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
}, { additionalProperties: false });

export const BatchesResponse = Type.Object({
  batches: Type.Array(Type.Object({
    id: Type.String(),
    reference: Type.String(),
    state: Type.String(),
    currency: Type.String(),
    cutoff: Instant,
    preparedAt: Instant,
    settledAt: Nullable(Instant),
    bankReference: Nullable(Type.String()),
    lines: Type.Array(Type.Object({ id: Type.String(), state: Type.String(), amount: MoneyJson,
      returnedReason: Nullable(Type.String()) })),
  })),
  nextPage: Nullable(Type.Integer()),
});

const ProblemJson = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.Optional(Type.String()),
}, { additionalProperties: true, description: 'RFC 9457 problem details (docs/errors.md).' });

export const ErrorResponses = { 400: ProblemJson, 401: ProblemJson, 403: ProblemJson,
  404: ProblemJson, 409: ProblemJson } as const;

/** The cursor after a payment: its time and id, base64url; null when it is not one of ours. */
export function decodeCursor(cursor: string): { paidAt: Date; id: string } | null {
  const [time = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const paidAt = new Date(time);
  return Number.isNaN(paidAt.getTime()) || !isUuid(id) ? null : { paidAt, id };
}

export function encodeCursor(last: Readonly<{ paidAt: Date; id: string }>): string {
  return Buffer.from(`${last.paidAt.toISOString()}|${last.id}`, 'utf8').toString('base64url');
}
