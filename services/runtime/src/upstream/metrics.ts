// Upstream metrics, shared by every client on one registry (names and labels: docs/metrics.md).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS } from '../metrics';
import type { BreakerState, CircuitBreaker } from './breaker';

/** How one HTTP attempt ended. A fixed set: the `outcome` label never takes another value. */
export type AttemptOutcome = 'success' | 'rejected' | 'server_error' | 'timeout' | 'network_error';

export interface UpstreamMetrics {
  attempt(upstream: string, outcome: AttemptOutcome, seconds: number): void;
  retry(upstream: string): void;
  shortCircuit(upstream: string): void;
  /** The breaker's state is read at scrape time. */
  watch(upstream: string, breaker: CircuitBreaker): void;
}

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

const byRegistry = new WeakMap<Registry, UpstreamMetrics>();

/** One set of metrics per registry, however many upstream clients use it. */
export function upstreamMetrics(registry: Registry): UpstreamMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    m = create(registry);
    byRegistry.set(registry, m);
  }
  return m;
}

function create(registry: Registry): UpstreamMetrics {
  const breakers = new Map<string, CircuitBreaker>();
  const duration = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Duration of each HTTP attempt to another service, by upstream and outcome.',
    labelNames: ['upstream', 'outcome'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'upstream_retries_total',
    help: 'Attempts repeated after a failed attempt, by upstream.',
    labelNames: ['upstream'] as const,
    registers: [registry],
  });
  const shortCircuits = new Counter({
    name: 'upstream_short_circuits_total',
    help: 'Calls refused without sending because the circuit breaker was open, by upstream.',
    labelNames: ['upstream'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'upstream_circuit_state',
    help: 'Circuit breaker state by upstream: 0 closed, 1 half-open, 2 open.',
    labelNames: ['upstream'] as const,
    registers: [registry],
    collect() {
      for (const [upstream, b] of breakers) this.labels(upstream).set(BREAKER_STATE_VALUE[b.state]);
    },
  });
  const children = new Map<string, ReturnType<typeof duration.labels>>();
  return {
    attempt(upstream, outcome, seconds) {
      const key = `${upstream} ${outcome}`;
      let child = children.get(key);
      if (!child) children.set(key, (child = duration.labels(upstream, outcome)));
      child.observe(seconds);
    },
    retry: (upstream) => retries.labels(upstream).inc(),
    shortCircuit: (upstream) => shortCircuits.labels(upstream).inc(),
    watch(upstream, breaker) {
      if (breakers.has(upstream)) throw new Error(`two upstream clients named ${upstream} on one registry`);
      breakers.set(upstream, breaker);
      // Zero-initialised, so rate() and absent() work before the first retry or refusal.
      retries.labels(upstream).inc(0);
      shortCircuits.labels(upstream).inc(0);
    },
  };
}
