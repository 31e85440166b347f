/** The compliance pages' copy in English and Swahili (one bundle, joined in index.ts). */
import en from './locales/compliance-en.json' with { type: 'json' };
import sw from './locales/compliance-sw.json' with { type: 'json' };

export const complianceMessages = { en, sw };
