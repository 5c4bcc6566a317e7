// What a call to another service can end in, as types a caller can branch on: the upstream is
// unreachable or failing (UpstreamUnavailable), did not answer in time (UpstreamTimeout), or
// answered with a client error about this request (UpstreamRejected, with its problem document).
import type { Problem } from '../http/problem';

export interface UpstreamCall {
  /** The upstream's name, e.g. product-api (also the metrics label). */
  upstream: string;
  method: string;
  /** Path and query on the upstream, e.g. /products/42. */
  path: string;
  /** HTTP attempts made (0 when the circuit breaker refused the call). */
  attempts: number;
}

export abstract class UpstreamError extends Error {
  readonly upstream: string;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;

  constructor(call: UpstreamCall, message: string) {
    super(`${call.upstream} ${call.method} ${call.path}: ${message}`);
    this.upstream = call.upstream;
    this.method = call.method;
    this.path = call.path;
    this.attempts = call.attempts;
  }
}

/**
 * Why the upstream could not serve the call:
 * - network: no connection or the connection broke (`code`: ECONNREFUSED, ECONNRESET, …)
 * - status: it answered 5xx or 429 (`status`, `problem`)
 * - circuit-open: the breaker is open after repeated failures; nothing was sent (`retryAfterMs`)
 * - bad-response: the answer was not what HTTP/JSON promised (unparseable or too large)
 */
export type UnavailableReason = 'network' | 'status' | 'circuit-open' | 'bad-response';

export class UpstreamUnavailable extends UpstreamError {
  override name = 'UpstreamUnavailable';
  readonly reason: UnavailableReason;
  readonly status?: number;
  readonly code?: string;
  readonly problem?: Problem;
  /** When the breaker will let a trial call through (circuit-open only). */
  readonly retryAfterMs?: number;

  constructor(
    call: UpstreamCall,
    reason: UnavailableReason,
    detail: string,
    extra: { status?: number; code?: string; problem?: Problem; retryAfterMs?: number } = {},
  ) {
    super(call, detail);
    this.reason = reason;
    this.status = extra.status;
    this.code = extra.code;
    this.problem = extra.problem;
    this.retryAfterMs = extra.retryAfterMs;
  }
}

export class UpstreamTimeout extends UpstreamError {
  override name = 'UpstreamTimeout';
  /** The per-attempt or overall budget that ran out. */
  readonly timeoutMs: number;

  constructor(call: UpstreamCall, timeoutMs: number) {
    super(call, `no answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** A 4xx answer: the upstream works and refused this request. Never retried. */
export class UpstreamRejected extends UpstreamError {
  override name = 'UpstreamRejected';
  readonly status: number;
  /** The RFC 9457 problem document, when the answer was one. */
  readonly problem?: Problem;
  /** The parsed body (JSON) or its text. */
  readonly body: unknown;

  constructor(call: UpstreamCall, status: number, body: unknown) {
    const problem = asProblem(body);
    super(call, `answered ${status}${problem?.detail ? `: ${problem.detail}` : ''}`);
    this.status = status;
    this.body = body;
    this.problem = problem;
  }
}

/** The upstream is down, failing or too slow: a caller usually answers 503 for these. */
export const isUpstreamOutage = (err: unknown): err is UpstreamUnavailable | UpstreamTimeout =>
  err instanceof UpstreamUnavailable || err instanceof UpstreamTimeout;

/** A JSON body that looks like RFC 9457 problem details (status and title or type), else undefined. */
export function asProblem(body: unknown): Problem | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const p = body as Record<string, unknown>;
  if (typeof p.status !== 'number' || (typeof p.title !== 'string' && typeof p.type !== 'string'))
    return undefined;
  return {
    ...p,
    type: typeof p.type === 'string' ? p.type : 'about:blank',
    title: typeof p.title === 'string' ? p.title : '',
    status: p.status,
  } as Problem;
}
