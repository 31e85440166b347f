/**
 * Sign in with Huduma (docs/federation.md): the OpenID Provider for agency systems.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const federationModule: HudumaModule = {
  name: 'federation',
  errors: {},
  messages: { en, sw },
};
