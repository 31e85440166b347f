/** The applications module's addresses (reverse routing): views and handlers use these. */
const segment = encodeURIComponent;

export const applicationsPaths = {
  /** The service's apply page (start or resume). */
  apply: (serviceSlug: string): string => `/services/${segment(serviceSlug)}/apply`,
  mine: '/account/applications',
  /** The short address in messages: /a/<reference>, which leads to the application. */
  short: (reference: string): string => `/a/${segment(reference)}`,
  application: (id: string): string => `/applications/${segment(id)}`,
  page: (id: string, pageId: string): string =>
    `/applications/${segment(id)}/pages/${segment(pageId)}`,
  check: (id: string): string => `/applications/${segment(id)}/check`,
  submit: (id: string): string => `/applications/${segment(id)}/submit`,
  action: (id: string, kind: string): string => `/applications/${segment(id)}/${segment(kind)}`,
  file: (id: string, fileId: string): string =>
    `/applications/${segment(id)}/files/${segment(fileId)}`,
  rate: (id: string): string => `/applications/${segment(id)}/rating`,
  queue: '/staff/applications',
  staffApplication: (id: string): string => `/staff/applications/${segment(id)}`,
  staffAction: (id: string): string => `/staff/applications/${segment(id)}/actions`,
  staffFile: (id: string, fileId: string): string =>
    `/staff/applications/${segment(id)}/files/${segment(fileId)}`,
} as const;

export const applicationsRoutePatterns = {
  apply: '/services/:slug/apply',
  mine: '/account/applications',
  short: '/a/:reference',
  application: '/applications/:id',
  page: '/applications/:id/pages/:pageId',
  check: '/applications/:id/check',
  submit: '/applications/:id/submit',
  action: '/applications/:id/:kind',
  file: '/applications/:id/files/:fileId',
  rate: '/applications/:id/rating',
  queue: '/staff/applications',
  staffApplication: '/staff/applications/:id',
  staffAction: '/staff/applications/:id/actions',
  staffFile: '/staff/applications/:id/files/:fileId',
} as const;
