/* Generated from schemas/ by `npm run generate`. Do not edit by hand. */

/**
 * What order-api reads from its config file (the chart's ConfigMap). Secrets are never here: they come from files or environment variables set from Kubernetes Secrets (DATABASE_PASSWORD).
 */
export interface OrderApiRuntimeConfig {
  server: ServerConfig;
  log?: LogConfig;
  database?: DatabaseConfig;
  /**
   * How order-api reaches product-api (stock reservations, which also price each order). In a cluster: the product-api Service, e.g. http://{{ .Release.Name }}-product-api:5000.
   */
  productApi?: UpstreamConfig;
  orders?: OrdersConfig;
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
 * Where the service keeps its data. `pglite` is an embedded PostgreSQL for laptops and tests (same SQL, one process); clusters use `postgres`. The password is never here: it comes from DATABASE_PASSWORD or DATABASE_PASSWORD_FILE.
 */
export interface DatabaseConfig {
  /**
   * postgres: a PostgreSQL server over the network (pool). pglite: embedded, in-process.
   */
  driver?: 'postgres' | 'pglite';
  /**
   * PostgreSQL host (driver postgres).
   */
  host?: string;
  /**
   * PostgreSQL port.
   */
  port?: number;
  /**
   * Database name (driver postgres).
   */
  name?: string;
  /**
   * Database user (driver postgres).
   */
  user?: string;
  /**
   * TLS to PostgreSQL: disable, require (encrypt, trust any certificate) or verify-full (check the certificate against sslRootCertFile or the system CAs).
   */
  sslMode?: 'disable' | 'require' | 'verify-full';
  /**
   * PEM file with the CA that signed the server certificate (sslMode verify-full).
   */
  sslRootCertFile?: string;
  /**
   * Most connections one process opens (driver postgres).
   */
  poolMax?: number;
  /**
   * How long to wait for a new connection or a free pooled one.
   */
  connectTimeoutMs?: number;
  /**
   * Server-side limit for one statement (driver postgres).
   */
  statementTimeoutMs?: number;
  /**
   * Apply pending migrations when the service starts (development). Clusters set false: a Helm hook Job runs `node dist/migrate.js` before the pods roll.
   */
  migrateOnStart?: boolean;
  /**
   * Directory for the embedded database (driver pglite); unset keeps it in memory, so data is lost on exit.
   */
  pgliteDataDir?: string;
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
 * Order life cycle.
 */
export interface OrdersConfig {
  /**
   * An order still pending this long (product-api was unreachable or its answer was lost, and the client did not retry) is failed as abandoned and any stock product-api may have taken for it is given back.
   */
  pendingTimeoutSeconds?: number;
  /**
   * How often each replica finishes stock work left over (abandoned pending orders, releases product-api could not take yet). Safe on several replicas at once.
   */
  reconcileIntervalSeconds?: number;
}
