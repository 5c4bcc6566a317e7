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
  productApi?: ApiConfig;
  orderApi?: ApiConfig;
}
/**
 * One upstream API.
 */
export interface ApiConfig {
  /**
   * Base URL without a trailing query, e.g. http://techcommerce-product-api:5000. In a chart it may name the release: http://{{ .Release.Name }}-product-api:5000.
   */
  url: string;
  /**
   * Longest wait for one answer before the page says the service is unavailable.
   */
  timeoutMs?: number;
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
