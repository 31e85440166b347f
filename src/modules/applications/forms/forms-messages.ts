/** The forms engine's copy, English and Swahili (errors, field parts, check your answers). */
import type { ModuleMessages } from '#platform/module.ts';
import en from './locales/forms.en.json' with { type: 'json' };
import sw from './locales/forms.sw.json' with { type: 'json' };

export const formsMessages: ModuleMessages = { en, sw };
