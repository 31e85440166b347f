/**
 * SMS length rules (3GPP TS 23.038). A text made only of GSM 03.38 characters fits 160 per
 * message; anything else (an emoji, a curly quote) switches the whole text to UCS-2, 70 per
 * message, and costs two or three times as much. Templates are checked against this.
 */

const gsmBasic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** These take two septets each (an escape, then the character). */
const gsmExtension = '^{}\\[~]|€\f';

const basicSet = new Set(gsmBasic);
const extensionSet = new Set(gsmExtension);

export const smsSingleMessageSeptetsMax = 160;

/** True when every character is in the GSM 7-bit alphabet (basic or extension). */
export function isGsm7(text: string): boolean {
  for (const character of text) {
    if (!basicSet.has(character) && !extensionSet.has(character)) return false;
  }
  return true;
}

/** Septets the text takes in GSM 7-bit; undefined when it cannot be sent in GSM 7-bit. */
export function gsm7Length(text: string): number | undefined {
  let septets = 0;
  for (const character of text) {
    if (basicSet.has(character)) septets += 1;
    else if (extensionSet.has(character)) septets += 2;
    else return undefined;
  }
  return septets;
}

/** True when the text goes out as one SMS: GSM 7-bit and at most 160 septets. */
export function fitsOneSms(text: string): boolean {
  const length = gsm7Length(text);
  return length !== undefined && length <= smsSingleMessageSeptetsMax;
}
