import type { MessageBundle } from './i18n.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const webMessages: MessageBundle = { en, sw };
