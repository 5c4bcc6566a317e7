// @techcommerce/runtime: everything the three services share. See README.md.
export {
  ConfigError,
  loadConfig,
  readSecret,
  readSecrets,
  validateConfig,
  type Env,
  type Secrets,
} from './config';
export * from './db';
export { Readiness, type ReadinessCheck, type ReadinessResult } from './health';
export { createApp, parseQuery, type App, type AppOptions } from './http/app';
export { bearerGuard, MIN_TOKEN_LENGTH, type BearerGuardOptions } from './http/bearer';
export { requireDistinctProducts } from './http/distinct-products';
export { setRouteLabel, type RequestListener } from './http/fallback';
export {
  controlCharacterFields,
  hasControlCharacter,
  headerText,
  refuseControlCharacters,
} from './http/input';
export { compileSchema, OpenApiValidators, toOpenApiPath, type OpenApiDocument } from './http/openapi';
export {
  completeOpenApi,
  PROBLEM_SCHEMA,
  problemResponse,
  problemWith,
  TEXT_PATTERN,
} from './http/openapi-document';
export { HttpError, problemType, validationError, type FieldError, type Problem } from './http/problem';
export { withProblemMapping } from './http/problem-mapping';
export { fetchWithRequestId, forwardHeaders, REQUEST_ID_HEADER, requestIdFrom } from './http/request-id';
export { apiHelmetOptions, computeSecurityHeaders, type HelmetOptions } from './http/security-headers';
export type { Handler, HttpMethod, Reply, RequestContext, Route } from './http/types';
export { createLogger, type Logger, type LoggerOptions } from './logger';
export {
  Counter,
  createCounter,
  createHttpMetrics,
  createRegistry,
  Gauge,
  Histogram,
  HTTP_DURATION_BUCKETS,
  Registry,
} from './metrics';
export {
  createService,
  exitOnStartupError,
  runService,
  type CreateOptions,
  type ServiceDefinition,
  type ServiceInstance,
  type ServiceParts,
  type SetupContext,
} from './service';
export {
  CursorError,
  decodeCursor,
  encodeCursor,
  type CursorPosition,
  type CursorValueKind,
} from './pagination';
export {
  parseByteSize,
  type BaseConfig,
  type DatabaseSettings,
  type LogSettings,
  type ServerSettings,
} from './settings';
export * from './upstream';
export { describeAjvErrors, jsonPointerToPath, type FieldProblem } from './validation';
