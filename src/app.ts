/**
 * buildApp(deps): the platform plugins, then each module's routes. No listen() here, so tests
 * drive the same app through inject() or a real port.
 */
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { accessControl } from '#modules/identity/index.ts';
import { joinErrorTables, platformErrors } from '#platform/errors/index.ts';
import {
  frameworkErrorHandler,
  installErrorHandling,
  installInputGuard,
  installRequestMetrics,
  installSecurityHeaders,
  operationsRoutes,
  requireAccessDeclarations,
  type HtmlErrorRenderer,
} from '#platform/http/index.ts';
import { installLoadShedding } from '#platform/http/load-shedding.ts';
import type { HudumaModule, ModuleDeps } from '#platform/module.ts';
import {
  joinBundles,
  negotiateLanguage,
  renderErrorPage,
  translator,
  webMessages,
  webPlugin,
  type MessageBundle,
  type NavigationItem,
  type PageContext,
} from '#web/index.ts';
import { loadSheddingOptions } from './load-classes.ts';
import { modules as defaultModules } from './modules.ts';

export type AppDeps = ModuleDeps & Readonly<{ modules?: readonly HudumaModule[] }>;

const bodySizeBytesMax = 256 * 1024;
const requestTimeoutMs = 30_000;

function htmlErrorRenderer(
  messages: MessageBundle,
  navigation: readonly NavigationItem[],
): HtmlErrorRenderer {
  // A URL Fastify refuses before routing gets a request without the web kit's decorations.
  const bareContext = (headers: Readonly<Record<string, unknown>>): PageContext => {
    const accept = headers['accept-language'];
    const language = negotiateLanguage(undefined, typeof accept === 'string' ? accept : undefined);
    return { language, t: translator(messages, language), currentUrl: '/', navigation };
  };
  return (request, status) => {
    const decorated = typeof request.pageContext === 'function';
    const context = decorated ? request.pageContext() : bareContext(request.headers);
    return renderErrorPage(context, status);
  };
}

/** The agency integration API (docs/agency-api.md) is called with Authorization: Bearer <key>. */
const securitySchemes = {
  agencyApiKey: { type: 'http', scheme: 'bearer', description: 'An agency API key' },
} as const;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const modules = deps.modules ?? defaultModules;
  const errors = joinErrorTables([platformErrors, ...modules.map((m) => m.errors)]);
  const messages = joinBundles([webMessages, ...modules.map((m) => m.messages)]);
  const navigation = modules.flatMap((m) => m.navigation ?? []);
  const staffNavigation = modules.flatMap((m) => m.staffNavigation ?? []);
  const renderHtmlError = htmlErrorRenderer(messages, navigation);
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: bodySizeBytesMax,
    requestTimeout: requestTimeoutMs,
    // Only the configured proxies' X-Forwarded-For is believed (HUDUMA_TRUSTED_PROXIES).
    trustProxy: deps.config.trustedProxies.length === 0 ? false : [...deps.config.trustedProxies],
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    // A malformed URL (bad percent-encoding, an over-long path parameter) goes through the same
    // error handler as everything else: a friendly page or problem+json, never Fastify's JSON.
    frameworkErrors: frameworkErrorHandler(errors, renderHtmlError),
  });

  // First, so every route registered after them (plugins included) is covered.
  requireAccessDeclarations(app);
  installErrorHandling(app, errors, renderHtmlError);
  installInputGuard(app);
  installRequestMetrics(app, deps.metrics);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: bodySizeBytesMax });
  await app.register(fastifyCompress, { threshold: 1024 });
  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: deps.config.cookieSecure,
  });
  // Before sessions and access control: a refused request costs only routing and the answer.
  installLoadShedding(app, loadSheddingOptions(deps.metrics, deps.config.environment));
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Huduma API',
        version: '1',
        description: 'Government services and payments. Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes },
    },
  });
  // Before any route: every route's config.access is enforced (sessions, roles, CSRF).
  await app.register(accessControl, { deps });
  await app.register(webPlugin, {
    messages,
    navigation,
    staffNavigation,
    cookieSecure: deps.config.cookieSecure,
  });
  await app.register(operationsRoutes,
    { db: deps.db, metrics: deps.metrics, metricsToken: deps.config.metricsToken });
  for (const module of modules) {
    const routes = module.routes;
    if (routes !== undefined) await app.register(async (scope) => routes(scope, deps));
  }
  app.get('/docs/openapi.json', {
    schema: { hide: true },
    config: { access: 'public' },
  }, async () => app.swagger());
  return app;
}
