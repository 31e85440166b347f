/**
 * What an issued document says: the holder (the name the form asks for, or the account's), a
 * template by kind of service, an expiry where the service has one, and the application's
 * reference. The documents module signs and renders it.
 */
import type { DocumentDraft, DocumentTemplate } from '#modules/documents/index.ts';
import { serviceFactsOf } from './application-facts.ts';
import type { ApplicationRow, ApplicationsTrx } from './application-repo.ts';
import type { ApplicationsDeps } from './application-service.ts';
import { parseFormDefinition } from './forms/index.ts';

const monthMs = 30 * 86_400_000;

/** The template and validity of a service's document, by the kind of service. */
export function documentKindOf(slug: string): Readonly<{ template: DocumentTemplate;
  validMonths: number | null }> {
  if (slug.startsWith('driving-licence-renewal-three-years')) {
    return { template: 'licence', validMonths: 36 };
  }
  if (slug.includes('driving-licence')) return { template: 'licence', validMonths: 12 };
  if (slug.includes('good-conduct')) return { template: 'certificate', validMonths: 6 };
  if (slug.includes('passport')) return { template: 'notice', validMonths: 3 };
  if (slug.includes('permit')) return { template: 'permit', validMonths: 12 };
  return { template: 'certificate', validMonths: null };
}

async function holderNameOf(trx: ApplicationsTrx, application: ApplicationRow,
  answers: unknown): Promise<string> {
  const form = parseFormDefinition(application.form);
  const field = form.ok ? form.value.holderNameField : undefined;
  const typed = field === undefined || typeof answers !== 'object' || answers === null
    ? undefined : (answers as Readonly<Record<string, unknown>>)[field];
  if (typeof typed === 'string' && typed.trim() !== '') return typed.trim().slice(0, 120);
  const account = await trx.selectFrom('account')
    .select(['first_name', 'middle_name', 'last_name', 'business_name'])
    .where('id', '=', application.applicantAccountId).executeTakeFirstOrThrow();
  return (account.business_name ?? [account.first_name, account.middle_name, account.last_name]
    .filter((part) => part !== null && part !== '').join(' ')).slice(0, 120);
}

export async function documentDraftOf(
  deps: ApplicationsDeps,
  trx: ApplicationsTrx,
  application: ApplicationRow,
  answers: unknown,
  now: Date,
): Promise<DocumentDraft> {
  const service = await serviceFactsOf(deps, application.serviceId);
  const kind = documentKindOf(service.slug);
  return {
    sourceKey: `application:${application.id}`,
    serviceId: application.serviceId, agencyId: application.agencyId,
    holderAccountId: application.applicantAccountId,
    holderName: await holderNameOf(trx, application, answers),
    template: kind.template,
    facts: [{ label: { en: 'Application reference', sw: 'Namba ya ombi' },
      value: application.reference }],
    issuedAt: now,
    expiresAt: kind.validMonths === null ? null
      : new Date(now.getTime() + kind.validMonths * monthMs),
    serviceName: { en: service.nameEn, sw: service.nameSw ?? service.nameEn },
    agencyName: { en: service.agencyNameEn, sw: service.agencyNameSw ?? service.agencyNameEn },
  };
}
