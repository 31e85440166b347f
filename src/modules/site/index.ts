/**
 * The site's own pages: help (paying by paybill, a payment that has not shown, how long things
 * take), contact, privacy (Data Protection Act 2019), accessibility (WCAG 2.2 AA) and terms of
 * use, in English and Swahili. The footer of every page links to them (web-paths.ts).
 */
import { documentsPaths } from '#modules/documents/index.ts';
import { identityPaths } from '#modules/identity/index.ts';
import type { HudumaModule } from '#platform/module.ts';
import { joinBundles } from '#web/index.ts';
import en from './locales/site.en.json' with { type: 'json' };
import sw from './locales/site.sw.json' with { type: 'json' };
import { siteRoutes } from './site-routes.ts';

export { sitePageKeys, sitePages, type SitePage, type SitePageId } from './site-pages.ts';

/**
 * The service desk's address as the pages show it. A placeholder at a reserved domain until the
 * operator gives the real one (createSiteModule({ serviceDeskEmail })).
 */
export const defaultServiceDeskEmail = 'servicedesk@huduma.example';

export type SiteModuleOptions = Readonly<{ serviceDeskEmail?: string }>;

export function createSiteModule(options: SiteModuleOptions = {}): HudumaModule {
  return {
    name: 'site',
    errors: {},
    messages: joinBundles([{ en, sw }]),
    routes: async (app, deps) => {
      await siteRoutes(app, {
        paybill: deps.config.mpesa.shortcode,
        serviceDeskEmail: options.serviceDeskEmail ?? defaultServiceDeskEmail,
        verifyPath: documentsPaths.verify(), accountPath: identityPaths.account,
      });
    },
  };
}

export const siteModule: HudumaModule = createSiteModule();
