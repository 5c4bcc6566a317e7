// An API that depends on an upstream answers its outages with one problem shape: 503, the
// upstream's name and why, and Retry-After when the breaker knows when it will try again.
import { HttpError, problemType } from '../http/problem';
import { UpstreamTimeout, type UpstreamUnavailable } from './errors';

export const UPSTREAM_UNAVAILABLE = problemType('upstream-unavailable');

export function upstreamOutageError(
  err: UpstreamUnavailable | UpstreamTimeout,
  extensions: Record<string, unknown> = {},
): HttpError {
  const reason = err instanceof UpstreamTimeout ? 'timeout' : err.reason;
  const retryAfterMs = err instanceof UpstreamTimeout ? undefined : err.retryAfterMs;
  // At least one second: Retry-After has whole seconds, and "0" would invite a retry storm.
  const retryAfter = Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000));
  return new HttpError(503, `${err.upstream} is unavailable (${describe(err)}); try again shortly`, {
    type: UPSTREAM_UNAVAILABLE,
    title: 'Service Unavailable',
    extensions: { ...extensions, upstream: err.upstream, reason },
    headers: { 'retry-after': String(retryAfter) },
  });
}

function describe(err: UpstreamUnavailable | UpstreamTimeout): string {
  if (err instanceof UpstreamTimeout) return `no answer within ${err.timeoutMs} ms`;
  switch (err.reason) {
    case 'circuit-open':
      return 'its circuit breaker is open after repeated failures';
    case 'network':
      return `cannot connect${err.code ? `: ${err.code}` : ''}`;
    case 'status':
      return `it answered ${err.status}`;
    default:
      return 'its answer was not usable';
  }
}
