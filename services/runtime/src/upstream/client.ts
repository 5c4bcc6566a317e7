// A client for one upstream service (e.g. order-api -> product-api): per-attempt timeout
// (AbortController), an overall budget, bounded retries with exponential backoff and full jitter
// for idempotent calls only, a circuit breaker, x-request-id forwarding, problem+json parsing,
// typed errors and metrics. See README.md ("Calling another service").
import type { IncomingHttpHeaders } from 'node:http';
import type http from 'node:http';
import type { Logger } from 'pino';
import { ConfigError } from '../config';
import { REQUEST_ID_HEADER } from '../http/request-id';
import type { Registry } from '../metrics';
import { CircuitBreaker, type BreakerSettings, type BreakerState } from './breaker';
import {
  UpstreamRejected,
  UpstreamTimeout,
  UpstreamUnavailable,
  type UpstreamCall,
  type UpstreamError,
} from './errors';
import { upstreamMetrics, type AttemptOutcome, type UpstreamMetrics } from './metrics';
import { createAgent, exchange, ResponseTooLarge, type RawResponse } from './transport';

export interface RetrySettings {
  /** Attempts in all, the first included (1 = no retries). */
  maxAttempts?: number;
  /** Backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))] (full jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** The shape of schemas/defs/upstream.schema.json (a service's generated config block fits it). */
export interface UpstreamSettings {
  /** Base URL, e.g. http://product-api:5000 (a path prefix is kept). */
  url: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** For the whole call: every attempt and backoff together. */
  totalTimeoutMs?: number;
  /** Keep-alive connections at most. */
  maxConnections?: number;
  retries?: RetrySettings;
  breaker?: BreakerSettings;
}

export const UPSTREAM_DEFAULTS = {
  timeoutMs: 1000,
  totalTimeoutMs: 3000,
  maxConnections: 64,
  retries: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 500 },
};

export interface UpstreamClientOptions {
  /** The upstream's name in errors, logs and the metrics' `upstream` label. */
  name: string;
  settings: UpstreamSettings;
  /** Where upstream_* metrics go (usually the service's registry). */
  registry?: Registry;
  logger?: Logger;
  /** Sent as `Authorization: Bearer …` on every call: this service's credential for the upstream. */
  bearerToken?: string;
  /** Largest answer accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** Tests: the jitter source and the clock. */
  random?: () => number;
  now?: () => number;
}

export type UpstreamMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UpstreamRequest {
  method?: UpstreamMethod;
  /** Path on the upstream, e.g. /products/42 (percent-encode parameters). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The request being served: its id goes along as x-request-id. */
  context?: { requestId: string };
  /** Sent as Idempotency-Key; makes the call retryable. */
  idempotencyKey?: string;
  /** Overrides the method's rule, e.g. true for a POST the upstream documents as idempotent. */
  idempotent?: boolean;
  /** Per attempt, instead of settings.timeoutMs. */
  timeoutMs?: number;
  /** For this call, instead of settings.totalTimeoutMs (e.g. one operation that waits on a third service). */
  totalTimeoutMs?: number;
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the text of another media type, or undefined when empty. */
  body: T;
  attempts: number;
}

// RFC 9110 9.2.2: repeating these has the effect of sending them once.
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
// The connection was never made, so the request never reached the upstream: safe to repeat anything.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

type Failure = { error: UpstreamError; retryable: boolean };

export class UpstreamClient {
  readonly name: string;
  readonly breaker: CircuitBreaker;
  private readonly base: URL;
  private readonly prefix: string;
  private readonly agent: http.Agent;
  private readonly metrics?: UpstreamMetrics;
  private readonly timeoutMs: number;
  private readonly totalTimeoutMs: number;
  private readonly retries: Required<RetrySettings>;
  private readonly maxBodyBytes: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly logger?: Logger;
  private readonly authorization?: string;

  constructor(o: UpstreamClientOptions) {
    this.name = o.name;
    let base: URL;
    try {
      base = new URL(o.settings.url);
    } catch {
      throw new ConfigError(`upstream ${o.name}: url ${JSON.stringify(o.settings.url)} is not a valid URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new ConfigError(`upstream ${o.name}: url ${o.settings.url} must start with http:// or https://`);
    }
    if (base.search || base.hash)
      throw new ConfigError(`upstream ${o.name}: url ${o.settings.url} has a query or fragment`);
    this.base = base;
    this.prefix = base.pathname.replace(/\/+$/, '');
    this.timeoutMs = o.settings.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs;
    this.totalTimeoutMs = o.settings.totalTimeoutMs ?? UPSTREAM_DEFAULTS.totalTimeoutMs;
    this.retries = { ...UPSTREAM_DEFAULTS.retries, ...o.settings.retries };
    this.maxBodyBytes = o.maxBodyBytes ?? 1024 * 1024;
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
    this.logger = o.logger;
    this.authorization = o.bearerToken === undefined ? undefined : `Bearer ${o.bearerToken}`;
    this.agent = createAgent(base, o.settings.maxConnections ?? UPSTREAM_DEFAULTS.maxConnections);
    this.breaker = new CircuitBreaker(o.settings.breaker, this.now, (to, from) =>
      this.breakerMoved(to, from),
    );
    if (o.registry) {
      this.metrics = upstreamMetrics(o.registry);
      this.metrics.watch(o.name, this.breaker);
    }
  }

  get<T = unknown>(path: string, r: Omit<UpstreamRequest, 'method' | 'path'> = {}) {
    return this.request<T>({ ...r, method: 'GET', path });
  }

  post<T = unknown>(path: string, r: Omit<UpstreamRequest, 'method' | 'path'> = {}) {
    return this.request<T>({ ...r, method: 'POST', path });
  }

  put<T = unknown>(path: string, r: Omit<UpstreamRequest, 'method' | 'path'> = {}) {
    return this.request<T>({ ...r, method: 'PUT', path });
  }

  /**
   * Resolves with a 2xx or 3xx answer. Rejects with UpstreamRejected (4xx other than 429),
   * UpstreamTimeout, or UpstreamUnavailable (network, 5xx/429, circuit open, bad answer).
   */
  async request<T = unknown>(r: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const method = r.method ?? 'GET';
    const path = withQuery(r.path, r.query);
    const url = new URL(this.prefix + path, this.base);
    const idempotent = r.idempotent ?? (IDEMPOTENT_METHODS.has(method) || r.idempotencyKey !== undefined);
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    let body: Buffer | undefined;
    if (r.body !== undefined) {
      body = Buffer.from(JSON.stringify(r.body));
      headers['content-type'] = 'application/json';
    }
    if (r.context) headers[REQUEST_ID_HEADER] = r.context.requestId;
    if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
    if (this.authorization) headers.authorization = this.authorization;
    Object.assign(headers, r.headers);

    const started = this.now();
    const totalTimeoutMs = r.totalTimeoutMs ?? this.totalTimeoutMs;
    let previous: UpstreamError | undefined;
    for (let attempt = 1; ; attempt++) {
      const call: UpstreamCall = { upstream: this.name, method, path, attempts: attempt };
      const permit = this.breaker.acquire();
      if (!permit) {
        this.metrics?.shortCircuit(this.name);
        // A retry the breaker refused: the attempt that did happen says more about what went wrong.
        if (previous) throw previous;
        const retryAfterMs = this.breaker.retryAfterMs();
        throw new UpstreamUnavailable(
          { ...call, attempts: attempt - 1 },
          'circuit-open',
          `circuit breaker open after repeated failures; the next trial call is allowed in ${retryAfterMs} ms`,
          { retryAfterMs },
        );
      }
      const remaining = totalTimeoutMs - (this.now() - started);
      const timeoutMs = Math.max(1, Math.min(r.timeoutMs ?? this.timeoutMs, remaining));
      const t0 = performance.now();
      const outcome = await this.attempt(method, url, headers, body, timeoutMs);
      const seconds = (performance.now() - t0) / 1000;

      let failure: Failure;
      if ('raw' in outcome) {
        const { status } = outcome.raw;
        if (status < 400) {
          const parsed = parseBody(outcome.raw);
          if (parsed.ok) {
            this.settle(permit, 'success', seconds);
            return { status, headers: outcome.raw.headers, body: parsed.value as T, attempts: attempt };
          }
          this.settle(permit, 'server_error', seconds);
          throw new UpstreamUnavailable(call, 'bad-response', `answered ${status} with ${parsed.error}`, {
            status,
          });
        }
        const parsed = parseBody(outcome.raw);
        const errorBody = parsed.ok ? parsed.value : outcome.raw.body.toString('utf8');
        if (status >= 400 && status < 500 && status !== 429) {
          this.settle(permit, 'rejected', seconds);
          throw new UpstreamRejected(call, status, errorBody);
        }
        // 5xx: the upstream is unhealthy. 429: it is healthy but overloaded, so it does not trip the
        // breaker; both are worth another try later.
        this.settle(permit, 'server_error', seconds, status !== 429);
        const rejected = new UpstreamRejected(call, status, errorBody);
        failure = {
          error: new UpstreamUnavailable(call, 'status', `answered ${status}`, {
            status,
            problem: rejected.problem,
          }),
          retryable: idempotent,
        };
      } else if (outcome.timedOut) {
        this.settle(permit, 'timeout', seconds);
        failure = { error: new UpstreamTimeout(call, timeoutMs), retryable: idempotent };
      } else if (outcome.error instanceof ResponseTooLarge) {
        this.settle(permit, 'server_error', seconds);
        throw new UpstreamUnavailable(call, 'bad-response', outcome.error.message);
      } else {
        this.settle(permit, 'network_error', seconds);
        const code = (outcome.error as { code?: string }).code;
        failure = {
          error: new UpstreamUnavailable(call, 'network', outcome.error.message, { code }),
          retryable: idempotent || (code !== undefined && NOT_SENT_CODES.has(code)),
        };
      }

      const delay = this.backoff(attempt);
      const elapsed = this.now() - started;
      if (!failure.retryable || attempt >= this.retries.maxAttempts || elapsed + delay >= totalTimeoutMs)
        throw failure.error;
      previous = failure.error;
      this.metrics?.retry(this.name);
      this.logger?.debug(
        {
          upstream: this.name,
          method,
          path,
          attempt,
          delayMs: Math.round(delay),
          err: failure.error.message,
        },
        'upstream call failed; retrying',
      );
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Closes the keep-alive connections (a service's shutdown hook). */
  close(): void {
    this.agent.destroy();
  }

  private async attempt(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | undefined,
    timeoutMs: number,
  ): Promise<{ raw: RawResponse } | { timedOut: boolean; error: Error }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const raw = await exchange(this.agent, {
        method,
        url,
        headers,
        body,
        signal: controller.signal,
        maxBodyBytes: this.maxBodyBytes,
      });
      return { raw };
    } catch (err) {
      return { timedOut: controller.signal.aborted, error: err as Error };
    } finally {
      clearTimeout(timer);
    }
  }

  private settle(
    permit: NonNullable<ReturnType<CircuitBreaker['acquire']>>,
    outcome: AttemptOutcome,
    seconds: number,
    failed = outcome !== 'success' && outcome !== 'rejected',
  ): void {
    this.breaker.release(permit, failed);
    this.metrics?.attempt(this.name, outcome, seconds);
  }

  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.retries;
    return this.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  }

  private breakerMoved(to: BreakerState, from: BreakerState): void {
    const line = { upstream: this.name, state: to, previous: from };
    if (to === 'open') this.logger?.warn(line, `circuit breaker for ${this.name} opened: calls fail fast`);
    else this.logger?.info(line, `circuit breaker for ${this.name} is ${to}`);
  }
}

function withQuery(path: string, query: UpstreamRequest['query']): string {
  if (!path.startsWith('/')) throw new Error(`upstream path must start with "/": ${path}`);
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.append(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseBody(raw: RawResponse): Parsed {
  if (raw.body.length === 0) return { ok: true, value: undefined };
  const type = String(raw.headers['content-type'] ?? '').toLowerCase();
  const text = raw.body.toString('utf8');
  if (!/[/+]json\b/.test(type)) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `a body that is not valid JSON (${(err as Error).message})` };
  }
}
