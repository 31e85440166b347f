/**
 * Parts of a page that other modules contribute: the sections of a person's account page (their
 * applications, their bills) and the panels of the staff home (an officer's queue, a search).
 * The page's owner (identity) and the contributors (applications, payments) never import each
 * other: both know only this registry, which the web kit decorates on the root instance.
 *
 * Providers are called at request time, in order. One that throws or takes too long is logged
 * and skipped: the page still renders, without that part.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SafeHtml } from './html.ts';

export type PageSection = Readonly<{
  /** Unique per kind, e.g. 'applications.mine'; used in logs. */
  id: string;
  /** Lower comes first; equal orders keep registration order. */
  order: number;
  /** The section's markup for this request, or undefined to show nothing. */
  render: (request: FastifyRequest) => Promise<SafeHtml | undefined>;
}>;

export type PageSectionKind = 'account' | 'staffHome';

export type PageSectionRegistry = Readonly<{
  add: (kind: PageSectionKind, section: PageSection) => void;
  list: (kind: PageSectionKind) => readonly PageSection[];
}>;

declare module 'fastify' {
  interface FastifyInstance {
    pageSections: PageSectionRegistry;
  }
}

/** A provider slower than this is skipped, so one slow module cannot hold the page. */
export const sectionRenderMsMax = 2_000;
export const sectionsPerKindMax = 32;

export function pageSectionRegistry(): PageSectionRegistry {
  const sections: Record<PageSectionKind, PageSection[]> = { account: [], staffHome: [] };
  return {
    add: (kind, section) => {
      const list = sections[kind];
      if (list.some((known) => known.id === section.id)) {
        throw new Error(`page section ${kind}/${section.id} is registered twice`);
      }
      if (list.length >= sectionsPerKindMax) throw new Error(`too many ${kind} sections`);
      list.push(section);
      // Stable: equal orders keep registration order.
      list.sort((a, b) => a.order - b.order);
    },
    list: (kind) => sections[kind],
  };
}

function registryOf(app: FastifyInstance): PageSectionRegistry {
  // Decorated by the web kit on the root instance; a scope sees its parent's decorations.
  if (!app.hasDecorator('pageSections')) {
    throw new Error('register the web kit (webPlugin) before adding page sections');
  }
  return app.pageSections;
}

/** Adds a section to the signed-in person's account page (/account). */
export function registerAccountSection(app: FastifyInstance, section: PageSection): void {
  registryOf(app).add('account', section);
}

/** Adds a panel to the staff home (/staff). */
export function registerStaffHomePanel(app: FastifyInstance, section: PageSection): void {
  registryOf(app).add('staffHome', section);
}

async function renderOne(
  request: FastifyRequest,
  kind: PageSectionKind,
  section: PageSection,
): Promise<SafeHtml | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, sectionRenderMsMax);
  });
  try {
    const rendered = await Promise.race([section.render(request), late]);
    if (rendered === 'late') {
      request.log.error({ section: `${kind}/${section.id}` }, 'page section timed out: skipped');
      return undefined;
    }
    return rendered;
  } catch (error) {
    request.log.error({ err: error, section: `${kind}/${section.id}` },
      'page section failed: skipped');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Every section of `kind` for this request, in order, without those that failed. */
export async function renderPageSections(
  request: FastifyRequest,
  kind: PageSectionKind,
): Promise<SafeHtml[]> {
  const server = request.server as FastifyInstance | undefined;
  if (server === undefined || !server.hasDecorator('pageSections')) return [];
  const sections = server.pageSections.list(kind);
  const rendered = await Promise.all(sections.map((section) =>
    renderOne(request, kind, section)));
  return rendered.filter((part): part is SafeHtml => part !== undefined);
}
