// Prometheus metrics: the process/runtime defaults plus RED metrics for HTTP. Names and labels are
// a contract with the alert rules (docs/metrics.md): change them only together.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface HttpMetrics {
  /** route is a template (/products/:id) or "unmatched", never a raw URL: bounded cardinality. */
  observe(method: string, route: string, status: number, seconds: number): void;
  requestStarted(): void;
  requestFinished(): void;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request start to response end, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  let inFlight = 0;
  new Gauge({
    name: 'http_requests_in_flight',
    help: 'Requests being served right now.',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  // Resolving a labelled child hashes the labels; caching children keeps that off the hot path.
  const children = new Map<string, ReturnType<typeof duration.labels>>();
  return {
    observe(method, route, status, seconds) {
      const m = METHODS.has(method) ? method : 'OTHER';
      const cls = `${Math.floor(status / 100)}xx`;
      const key = `${m} ${cls} ${route}`;
      let child = children.get(key);
      if (!child) {
        child = duration.labels(m, route, cls);
        children.set(key, child);
      }
      child.observe(seconds);
    },
    requestStarted() {
      inFlight++;
    },
    requestFinished() {
      inFlight--;
    },
  };
}

/** A counter of business outcomes, e.g. stock reservations by result. */
export function createCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}
