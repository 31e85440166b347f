export { requireAccessDeclarations, type RouteAccess } from './access.ts';
export { frameworkErrorHandler, installErrorHandling } from './error-handling.ts';
export { findUnsafeInput, installInputGuard } from './input-guard.ts';
export {
  isInternalHost,
  outboundUrlAccepted,
  type OutboundUrlRule,
} from './outbound-url.ts';
export {
  installRequestMetrics,
  operationsRoutes,
  type OperationsOptions,
} from './operations-routes.ts';
export {
  problemBody,
  problemContentType,
  ProblemError,
  sendProblem,
  wantsHtml,
  type HtmlErrorRenderer,
  type ProblemBody,
} from './problem.ts';
export { installSecurityHeaders, securityHeadersOf } from './security-headers.ts';
