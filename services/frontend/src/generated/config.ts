/* Generated from schemas/ by `npm run generate`. Do not edit by hand. */

/**
 * What frontend reads from its config file (the chart's ConfigMap). Secrets are never here: they come from files or environment variables set from Kubernetes Secrets (COOKIE_SECRET).
 */
export interface FrontendRuntimeConfig {
  server: ServerConfig;
  log?: LogConfig;
  /**
   * The release's global.environment. Only development may run without COOKIE_SECRET (a fixed, public development key signs carts); every other environment refuses to start without it. Staging and production mark the cart cookie Secure (HTTPS only).
   */
  environment?: 'development' | 'ci' | 'staging' | 'production';
  apis?: ApisConfig;
  checkout?: CheckoutConfig;
  readiness?: ReadinessConfig;
  catalog?: CatalogPagesConfig;
  cart?: CartConfig;
}
/**
 * HTTP server settings.
 */
export interface ServerConfig {
  /**
   * TCP port the service listens on; the chart uses it as the container port.
   */
  port: number;
  /**
   * TCP port for /healthz, /readyz and /metrics alone (probes and Prometheus). Set: those paths are served only there, so nothing that routes the service port (an Ingress) reaches them. Unset: they are served on port beside the API (a laptop, where three services share one host). The charts set it (charts/common: tc.managementPort).
   */
  managementPort?: number;
  /**
   * Largest request body accepted (e.g. 100kb); larger bodies get 413.
   */
  bodyLimit?: string;
  /**
   * On SIGTERM, how long in-flight requests may take before the process exits. Keep it below the pod's terminationGracePeriodSeconds.
   */
  shutdownTimeoutSeconds?: number;
  /**
   * On SIGTERM, how long /readyz answers 503 while the server still serves, so Kubernetes takes the pod out of its Service before the listener closes. Counts towards shutdownTimeoutSeconds. SIGINT (Ctrl-C) skips it.
   */
  drainDelaySeconds?: number;
  /**
   * Time each readiness check (e.g. the database ping) may take before /readyz reports it failed.
   */
  readinessTimeoutMs?: number;
}
/**
 * Logging settings.
 */
export interface LogConfig {
  /**
   * Lowest level written to the JSON log.
   */
  level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /**
   * Write one line per HTTP request (method, route, status, duration, request id) at info level; probe and metrics requests log at debug.
   */
  requests?: boolean;
}
/**
 * Where the storefront reaches the two APIs.
 */
export interface ApisConfig {
  /**
   * product-api (catalog pages, cart prices). In a cluster: http://{{ .Release.Name }}-product-api:5000.
   */
  productApi?: UpstreamConfig;
  /**
   * order-api (checkout, confirmation, order lookup). In a cluster: http://{{ .Release.Name }}-order-api:7000.
   */
  orderApi?: UpstreamConfig;
}
/**
 * Where another service is and how patiently to call it: per-attempt and overall timeouts, retries with jittered exponential backoff (idempotent calls only), and a circuit breaker.
 */
export interface UpstreamConfig {
  /**
   * Base URL of the service, e.g. http://shop-product-api:5000 (a path prefix is kept). Checked again as a URL at start-up.
   */
  url: string;
  /**
   * Longest wait for one attempt's answer.
   */
  timeoutMs?: number;
  /**
   * Longest time one call may take with all its attempts and backoff: the bound on how long a caller waits while the service is slow or down.
   */
  totalTimeoutMs?: number;
  /**
   * Most keep-alive connections to the service per process.
   */
  maxConnections?: number;
  retries?: UpstreamRetryConfig;
  breaker?: UpstreamBreakerConfig;
}
/**
 * Retries of idempotent calls (GET, PUT, DELETE, or with an Idempotency-Key) after a timeout, a connection error, 5xx or 429.
 */
export interface UpstreamRetryConfig {
  /**
   * Attempts in all, the first included (1 turns retries off).
   */
  maxAttempts?: number;
  /**
   * Backoff before retry n is random between 0 and min(maxDelayMs, baseDelayMs * 2^(n-1)) (full jitter).
   */
  baseDelayMs?: number;
  /**
   * Cap of the backoff.
   */
  maxDelayMs?: number;
}
/**
 * Circuit breaker: after repeated failures (timeouts, connection errors, 5xx) calls fail at once for a cool-down instead of waiting on a service that is down.
 */
export interface UpstreamBreakerConfig {
  /**
   * Consecutive failed attempts that open the circuit.
   */
  failureThreshold?: number;
  /**
   * Share of failed attempts among the last windowSize that opens the circuit (once minimumRequests were seen).
   */
  failureRatio?: number;
  /**
   * How many recent attempts the failure ratio looks at.
   */
  windowSize?: number;
  /**
   * Attempts in the window before the ratio may open the circuit.
   */
  minimumRequests?: number;
  /**
   * How long an open circuit fails calls at once before letting a trial call through (half-open).
   */
  coolDownMs?: number;
  /**
   * Trial calls let through at once while half-open; one success closes the circuit, one failure opens it again.
   */
  halfOpenMaxCalls?: number;
}
/**
 * Placing an order through order-api.
 */
export interface CheckoutConfig {
  /**
   * How long the storefront waits for order-api to place one order. Unset: order-api's own budget for its call to product-api (the totalTimeoutMs default of an upstream in schemas/defs/upstream.schema.json) plus headroom for order-api's database work, so the storefront never gives up on an order order-api is still confirming. Set it above order-api's productApi.totalTimeoutMs if you raise that.
   */
  placeOrderTimeoutMs?: number;
}
/**
 * What /readyz waits for.
 */
export interface ReadinessConfig {
  /**
   * Report ready only while both APIs answer. Off by default: a storefront pod that cannot reach an API still serves what it can (browsing while order-api is down; the "temporarily unavailable" page for the catalog while product-api is down), and leaving the Service would turn a partial outage into a whole one. Turn on only where an API outage should take the storefront out of its Service.
   */
  requireApis?: boolean;
}
/**
 * Catalog pages.
 */
export interface CatalogPagesConfig {
  /**
   * Products per listing page (category and search).
   */
  pageSize?: number;
  /**
   * Products shown on the home page.
   */
  featuredCount?: number;
}
/**
 * The cart, kept in a signed cookie (no server-side session).
 */
export interface CartConfig {
  /**
   * Most different products in one cart (bounds the cookie size).
   */
  maxLines?: number;
  /**
   * Most units of one product in a cart.
   */
  maxQuantity?: number;
  /**
   * How long the browser keeps the cart cookie.
   */
  maxAgeDays?: number;
}
