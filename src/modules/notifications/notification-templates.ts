/**
 * The template catalogue: which messages exist, the parameters each takes, and example values
 * as long as real ones get (tests render them to check SMS length). The copy itself is in
 * templates/en.json and templates/sw.json. Rendering is pure.
 */
import en from './templates/en.json' with { type: 'json' };
import sw from './templates/sw.json' with { type: 'json' };

export type TemplateDefinition = Readonly<{
  params: readonly string[];
  /** The longest realistic values, for the length tests. */
  example: Readonly<Record<string, string>>;
  /** The body holds a one-time secret (a code): the dev inbox shows it, nothing logs it. */
  secret: boolean;
}>;

const codeExample = { code: '84261937', minutes: '10' };
const amountExample = 'KES 1,250,000.00';

export const notificationTemplates = {
  'identity.sign-in-code': { params: ['code', 'minutes'], example: codeExample, secret: true },
  'identity.password-reset-code': {
    params: ['code', 'minutes'], example: codeExample, secret: true,
  },
  'identity.contact-change-code': {
    params: ['code', 'minutes'], example: codeExample, secret: true,
  },
  'identity.contact-changed': { params: [], example: {}, secret: false },
  'identity.password-changed': { params: [], example: {}, secret: false },
  'identity.registration-welcome': {
    params: ['url'], example: { url: 'https://huduma.go.ke' }, secret: false,
  },
  'payments.payment-received': {
    params: ['amount', 'billReference', 'receiptNumber'],
    example: { amount: amountExample, billReference: 'HD7K2M9QX4PL', receiptNumber: 'TKL9X2ABC7' },
    secret: false,
  },
  'payments.credit-available': {
    params: ['amount', 'billReference'],
    example: { amount: amountExample, billReference: 'HD7K2M9QX4PL' },
    secret: false,
  },
  'payments.refund-paid': {
    params: ['amount', 'receiptNumber'],
    example: { amount: amountExample, receiptNumber: 'TKL9X2ABC7' },
    secret: false,
  },
  'payments.receipt-issued': {
    params: ['service', 'payer', 'receiptNumber', 'url'],
    example: { service: 'Utafutaji na uhifadhi wa jina la biashara',
      payer: 'Wanjiru Nyambura Otieno', receiptNumber: 'HR7K2M9QX4PL',
      url: 'https://huduma.go.ke/r/HR7K2M9QX4PL' },
    secret: false,
  },
  'applications.status-changed': {
    params: ['reference', 'status', 'next', 'url'],
    example: { reference: 'A-7K2M9QX4', status: 'Returned for changes',
      next: 'Pay KES 1,250,000.00 by paybill 222222, account HD7K2M9QX4PL.',
      url: 'https://huduma.go.ke/a/A-7K2M9QX4' },
    secret: false,
  },
  'applications.confirm-requested': {
    params: ['reference', 'service', 'url'],
    example: { reference: 'A-7K2M9QX4', service: 'Notice of intention to marry (civil)',
      url: 'https://huduma.go.ke/a/A-7K2M9QX4' },
    secret: false,
  },
  'applications.sla-breached': {
    params: ['reference', 'service', 'due', 'url'],
    example: { reference: 'A-7K2M9QX4', service: 'Certificate of good conduct',
      due: '2026-12-31', url: 'https://huduma.go.ke/staff/applications?breached=1' },
    secret: false,
  },
  'documents.document-revoked': {
    params: ['number', 'service'],
    example: { number: 'HD-7K2M9-QX4PL',
      service: 'Cheti cha usajili wa jina la biashara na mabadiliko yake' },
    secret: false,
  },
  'assisted.consent-code': {
    params: ['code', 'agentNumber', 'minutes'],
    example: { code: '842619', agentNumber: 'HC-NRB-00123', minutes: '5' }, secret: true,
  },
  'assisted.fee-summary': {
    params: ['billReference', 'governmentFee', 'agentFee', 'agentNumber'],
    example: { billReference: 'HD7K2M9QX4PL', governmentFee: amountExample,
      agentFee: 'KES 1,000.00', agentNumber: 'HC-NRB-00123' },
    secret: false,
  },
  'agencies.compliance-notice-issued': {
    params: ['subject', 'deadline', 'url'],
    // The subject is cut to 50 characters; the link is the agency's compliance page.
    example: { subject: 'Legacy passport fees paybill still open past its c',
      deadline: '2026-12-31', url: 'https://huduma.go.ke/staff/compliance' },
    secret: false,
  },
} as const satisfies Readonly<Record<string, TemplateDefinition>>;

export type NotificationTemplateName = keyof typeof notificationTemplates;

export type TemplateCopy = Readonly<{ sms: string; subject: string; email: string }>;

export const templateCopy: Readonly<Record<'en' | 'sw', Readonly<Record<string, TemplateCopy>>>> =
  { en, sw };

export function isNotificationTemplateName(name: string): name is NotificationTemplateName {
  return Object.hasOwn(notificationTemplates, name);
}

export type RenderedNotification = Readonly<{ subject: string | null; body: string }>;

/**
 * Renders a template for a channel. An unknown template, a missing parameter or an
 * unexpected one is a bug in the caller, so it throws.
 */
export function renderNotification(
  request: Readonly<{
    channel: 'sms' | 'email';
    template: string;
    language: 'en' | 'sw';
    params: Readonly<Record<string, string>>;
  }>,
): RenderedNotification {
  if (!isNotificationTemplateName(request.template)) {
    throw new Error(`unknown notification template "${request.template}"`);
  }
  const definition: TemplateDefinition = notificationTemplates[request.template];
  const expected = [...definition.params].sort();
  const given = Object.keys(request.params).sort();
  if (expected.join(',') !== given.join(',')) {
    throw new Error(`template ${request.template} takes parameters ${expected.join(', ')}, ` +
      `not ${given.join(', ')}`);
  }
  const copy = templateCopy[request.language][request.template];
  if (copy === undefined) {
    throw new Error(`template ${request.template} has no ${request.language} copy`);
  }
  const fill = (text: string) => substitute(text, request.params);
  return request.channel === 'sms'
    ? { subject: null, body: fill(copy.sms) }
    : { subject: fill(copy.subject), body: fill(copy.email) };
}

/** Replaces each {name}; one pass, so a value that contains "{x}" is never expanded again. */
export function substitute(text: string, params: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? (params[name] ?? whole) : whole);
}

/** The {names} a text uses, sorted and unique. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}
