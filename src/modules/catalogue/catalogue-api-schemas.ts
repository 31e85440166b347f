/**
 * JSON Schemas (TypeBox) of the catalogue's JSON API: they validate requests, serialise
 * responses and document both in the OpenAPI document at /docs/openapi.json.
 */
import { Type } from 'typebox';
import { cataloguePageMax, cataloguePageSizeMax } from './catalogue-service.ts';

export const pageSizeDefault = 20;
/** Fastify answers 414 to a longer path parameter (maxParamLength) before any schema runs. */
const slugLengthMax = 100;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const SlugParams = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: slugLengthMax,
    description: 'The slug: lower-case letters, digits and hyphens.' }),
});

export const IdOrSlugParams = Type.Object({
  idOrSlug: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', maxLength: slugLengthMax,
    description: 'A UUID or a slug.' }),
});

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: cataloguePageMax, default: 1,
    description: `1-based page number, at most ${cataloguePageMax}.` }),
  pageSize: Type.Integer({ minimum: 1, maximum: cataloguePageSizeMax, default: pageSizeDefault,
    description: `Items per page, at most ${cataloguePageSizeMax}.` }),
});

export const AgencyListQuery = Type.Object({
  ...PageQuery.properties,
  ministry: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$',
    maxLength: slugLengthMax, description: 'Only the agencies of this ministry (its slug).' })),
});

export const MoneyJson = Type.Object({
  amountMinor: Type.String({ pattern: '^-?[0-9]+$', description: 'Amount in minor units ' +
    '(cents) as a decimal string: amounts are 64-bit integers, and JSON numbers lose ' +
    'precision beyond 2^53 in many clients.' }),
  currency: Type.Union([Type.Literal('KES'), Type.Literal('USD')]),
}, { description: 'An exact amount of money: KES 4,550.00 is { "amountMinor": "455000", ' +
  '"currency": "KES" }.' });

const Reference = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  nameEn: Type.String(),
  nameSw: Nullable(Type.String()),
});

const Origin = Type.Union([Type.Literal('demo'), Type.Literal('ecitizen'),
  Type.Literal('synthetic'), Type.Literal('onboarded')],
{ description: 'Where the record came from (onboarded: made on the platform).' });

/** The attribution CC BY 4.0 requires, on every record imported from the eCitizen dataset. */
const Source = Nullable(Type.Object({
  title: Type.String(),
  author: Type.String(),
  url: Type.String(),
  licence: Type.String(),
  licenceUrl: Type.String(),
}));

const Described = {
  descriptionEn: Nullable(Type.String()),
  descriptionSw: Nullable(Type.String()),
  origin: Origin,
  source: Source,
};

export const MinistryJson = Type.Object({
  ...Reference.properties, ...Described, url: Nullable(Type.String()),
});

export const MinistryListJson = Type.Object({
  items: Type.Array(Type.Object({
    ...MinistryJson.properties,
    agencyCount: Type.Integer({ minimum: 0 }),
    serviceCount: Type.Integer({ minimum: 0 }),
  })),
});

export const AgencyJson = Type.Object({
  ...Reference.properties, ...Described, url: Nullable(Type.String()),
  ministry: Reference, department: Nullable(Reference),
});

const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({
  items: Type.Array(item),
  total: Type.Integer({ minimum: 0, description: 'Items across all pages.' }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});

export const AgencyPageJson = pageOf(Type.Object({
  ...AgencyJson.properties, serviceCount: Type.Integer({ minimum: 0 }),
}));

export const MinistryDetailJson = Type.Object({ ...MinistryJson.properties,
  agencies: AgencyPageJson });

const ServiceSummaryJson = Type.Object({
  ...Reference.properties, ...Described,
  // 'sandbox' services are never served (docs/decisions/0008); listed so the type is whole.
  onboardingStatus: Type.Union([Type.Literal('live'), Type.Literal('in_progress'),
    Type.Literal('not_started'), Type.Literal('exempt'), Type.Literal('sandbox')]),
});

export const AgencyDetailJson = Type.Object({ ...AgencyJson.properties,
  services: pageOf(ServiceSummaryJson) });

export const ServiceDetailJson = Type.Object({
  ...ServiceSummaryJson.properties,
  requirementsEn: Type.Array(Type.String()),
  requirementsSw: Type.Array(Type.String()),
  serviceUrl: Nullable(Type.String()),
  slaDays: Nullable(Type.Integer({ minimum: 0, description: 'Days to deliver, from payment.' })),
  deliveryMode: Type.Union([Type.Literal('online'), Type.Literal('collect_in_person'),
    Type.Literal('courier'), Type.Literal('mixed')]),
  eligibleAccountTypes: Type.Array(Type.Union([Type.Literal('citizen'),
    Type.Literal('resident'), Type.Literal('foreigner'), Type.Literal('business')])),
  agency: Reference,
  ministry: Reference,
  department: Nullable(Reference),
  fee: Nullable(Type.Object({
    version: Type.Integer({ minimum: 1 }),
    amount: MoneyJson,
    effectiveFrom: Type.String({ format: 'date' }),
    effectiveTo: Nullable(Type.String({ format: 'date' })),
    gazetteReference: Nullable(Type.String()),
  }, { description: 'The fee in force today (Kenyan date); null when the service has none.' })),
  accessFee: Nullable(MoneyJson),
  total: Nullable(MoneyJson),
});

export const ProblemJson = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Record(Type.String(), Type.String())),
}, { description: 'RFC 9457 problem details, with a stable code (docs/errors.md).' });
