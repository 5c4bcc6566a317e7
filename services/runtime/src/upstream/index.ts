// Calling other services: see README.md ("Calling another service").
export {
  BREAKER_DEFAULTS,
  CircuitBreaker,
  type BreakerSettings,
  type BreakerState,
  type Permit,
} from './breaker';
export {
  UPSTREAM_DEFAULTS,
  UpstreamClient,
  type RetrySettings,
  type UpstreamClientOptions,
  type UpstreamMethod,
  type UpstreamRequest,
  type UpstreamResponse,
  type UpstreamSettings,
} from './client';
export {
  asProblem,
  isUpstreamOutage,
  UpstreamError,
  UpstreamRejected,
  UpstreamTimeout,
  UpstreamUnavailable,
  type UnavailableReason,
  type UpstreamCall,
} from './errors';
export { BREAKER_STATE_VALUE, upstreamMetrics, type AttemptOutcome, type UpstreamMetrics } from './metrics';
export { UPSTREAM_UNAVAILABLE, upstreamOutageError } from './problem';
