/**
 * Drawing a screen: the text of a USSD reply, at most 182 characters with its CON or END (what
 * a handset shows in one message). Variable names (services, agencies) are shortened until the
 * screen fits; the fixed copy is written to fit. Pure: no lookups, no clock.
 */
import { format, isCurrency, money } from '#platform/money/index.ts';
import { translator, type Language, type Translate } from '#web/index.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import {
  currentScreen,
  type EndScreen,
  type MineItem,
  type Screen,
  type SessionState,
} from './ussd-state.ts';

/** One USSD message, as the handset shows it; the reply's "CON " / "END " counts too. */
export const ussdReplyLengthMax = 182;
export const ussdScreenLengthMax = ussdReplyLengthMax - 'CON '.length;
const nameLimits = [60, 40, 28, 20, 14, 10] as const;
const noticeInputMax = 16;

const bundle = { en, sw };

export function ussdTranslator(language: Language): Translate {
  return translator(bundle, language);
}

/** Cut to `max` characters at most, marking the cut with "..". */
export function shorten(text: string, max: number): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  return plain.length <= max ? plain : `${plain.slice(0, Math.max(1, max - 2)).trimEnd()}..`;
}

/** KES 1,050.00 with plain spaces (a handset shows no non-breaking space). */
export function amountText(minor: string, currency: string, language: Language): string {
  if (!isCurrency(currency) || !/^-?\d+$/.test(minor)) return `${currency} ${minor}`;
  return format(money(BigInt(minor), currency), language).replace(/\s/g, ' ');
}

function pick(language: Language, english: string, swahili: string | null): string {
  return language === 'sw' && swahili !== null && swahili !== '' ? swahili : english;
}

type Draw = (t: Translate, language: Language, nameMax: number) => string;

/** The first drawing that fits, shortening names step by step; cut hard at the end. */
function fit(draw: Draw, t: Translate, language: Language): string {
  for (const nameMax of nameLimits) {
    const text = draw(t, language, nameMax);
    if (text.length <= ussdScreenLengthMax) return text;
  }
  const last = draw(t, language, nameLimits[nameLimits.length - 1] ?? 10);
  return `${last.slice(0, ussdScreenLengthMax - 2)}..`;
}

function mineLines(items: readonly MineItem[], t: Translate, language: Language): string {
  if (items.length === 0) return t('ussd.mine.none');
  return items.map((item) => t('ussd.mine.item', {
    reference: item.reference, amount: amountText(item.amountMinor, item.currency, language),
    outcome: t(`ussd.mine.outcome.${item.outcome}`),
  })).join('\n');
}

function body(screen: Screen): Draw {
  switch (screen.kind) {
    case 'home': return (t) => t('ussd.home');
    case 'language': return (t) => t('ussd.language');
    case 'ask': return (t) => t(`ussd.ask.${screen.topic}`);
    case 'bill': return billBody(screen);
    case 'mine': return (t, language) =>
      `${t('ussd.mine.title')}\n${mineLines(screen.items, t, language)}`;
    case 'payment': return (t, language) => t('ussd.payment', {
      receipt: screen.payment.receipt,
      amount: amountText(screen.payment.amountMinor, screen.payment.currency, language),
      date: screen.payment.paidOn, reference: screen.payment.billReference ?? '-',
      disposition: t(`ussd.payment.disposition.${screen.payment.disposition}`) });
    case 'application': return (t, language, nameMax) => t('ussd.application', {
      reference: screen.application.reference,
      service: shorten(pick(language, screen.application.serviceEn,
        screen.application.serviceSw), nameMax),
      status: t(`ussd.application.status.${screen.application.status}`) });
    case 'receipt': return (t, language, nameMax) => t('ussd.receipt', {
      number: screen.receipt.number,
      amount: amountText(screen.receipt.amountMinor, screen.receipt.currency, language),
      agency: shorten(pick(language, screen.receipt.agencyEn, screen.receipt.agencySw), nameMax),
      reference: screen.receipt.billReference, date: screen.receipt.paidOn });
    case 'document': return (t, language, nameMax) => t('ussd.document', {
      number: screen.document.number,
      status: t(`ussd.document.status.${screen.document.status}`),
      service: shorten(pick(language, screen.document.serviceEn, screen.document.serviceSw),
        nameMax),
      date: screen.document.issuedOn });
  }
}

function billBody(screen: Extract<Screen, { kind: 'bill' }>): Draw {
  const { bill } = screen;
  return (t, language, nameMax) => {
    const head = t('ussd.bill.head', { reference: bill.reference,
      service: shorten(pick(language, bill.serviceEn, bill.serviceSw), nameMax),
      agency: shorten(pick(language, bill.agencyEn, bill.agencySw), nameMax) });
    const due = amountText(bill.dueMinor, bill.currency, language);
    const status = t(`ussd.bill.status.${bill.status}`);
    if (screen.purpose === 'check') {
      return `${head}\n${t('ussd.bill.check', {
        total: amountText(bill.totalMinor, bill.currency, language), status, due })}`;
    }
    if (!bill.payable) return `${head}\n${t('ussd.bill.notPayable', { status })}`;
    if (bill.currency !== 'KES') return `${head}\n${t('ussd.bill.card', { amount: due })}`;
    return `${head}\n${t('ussd.bill.payOption', { amount: due })}`;
  };
}

/** The text of a CON reply: the notice (if any), the screen, and the way back. */
export function drawScreen(state: SessionState): string {
  const t = ussdTranslator(state.language);
  const screen = currentScreen(state);
  const draw = body(screen);
  const notice = state.notice === undefined ? ''
    : `${t(`ussd.notice.${state.notice}`,
      { input: shorten(state.noticeInput ?? '', noticeInputMax) })}\n`;
  const footer = screen.kind === 'home' ? '' : `\n${t('ussd.footer')}`;
  return fit((tr, language, nameMax) => `${notice}${draw(tr, language, nameMax)}${footer}`,
    t, state.language);
}

/** The text of an END reply. */
export function drawEnd(end: EndScreen, language: Language): string {
  const t = ussdTranslator(language);
  switch (end.kind) {
    case 'paySent': return shorten(t('ussd.end.paySent', { reference: end.reference,
      amount: amountText(end.amountMinor, end.currency, language) }), ussdScreenLengthMax);
    case 'payNotSent': return t('ussd.end.payNotSent', { reference: end.reference });
    case 'rateLimited': return t('ussd.end.rateLimited');
    case 'timedOut': return t('ussd.end.timedOut');
    case 'phoneNotServed': return t('ussd.end.phoneNotServed');
  }
}
