/* Generated from schemas/ by `npm run generate`. Do not edit by hand. */

/**
 * What product-api reads from its config file (the chart's ConfigMap). Secrets are never here: they come from files or environment variables set from Kubernetes Secrets (ADMIN_TOKEN, DATABASE_PASSWORD).
 */
export interface ProductApiRuntimeConfig {
  server: ServerConfig;
  log?: LogConfig;
  database?: DatabaseConfig;
  catalog?: CatalogConfig;
  reservations?: ReservationsConfig;
  faults?: FaultsConfig;
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
 * Catalog behaviour.
 */
export interface CatalogConfig {
  /**
   * Load the built-in demo catalog when the products table is empty (local runs). Clusters with real data set false.
   */
  seedWhenEmpty?: boolean;
  /**
   * Longest time a cached catalog read (list or item) is served before it is read again; 0 turns the cache off. Writes through this process invalidate at once; other replicas see them within this bound.
   */
  cacheTtlMs?: number;
  /**
   * Most distinct catalog reads kept in the cache (oldest evicted first).
   */
  cacheMaxEntries?: number;
}
/**
 * Stock reservations.
 */
export interface ReservationsConfig {
  /**
   * A reservation neither committed nor released within this time is released by the sweeper, so a crashed caller cannot hold stock for ever.
   */
  ttlSeconds?: number;
  /**
   * How often each replica releases expired reservations (replicas sweeping at once is safe).
   */
  sweepIntervalSeconds?: number;
  /**
   * How long the record of an id released before anything was reserved under it (a tombstone: it makes a reservation that arrives later under that id take no stock) is kept. Purged by the sweeper after this; keep it far above the longest a caller retries a reservation.
   */
  tombstoneRetentionHours?: number;
}
/**
 * Test-only fault injection for alert tests. Never enable in production.
 */
export interface FaultsConfig {
  /**
   * Expose PUT /admin/faults (admin token) that sets an error ratio and added latency on product routes.
   */
  enabled?: boolean;
}
