// Business metrics (names and labels are documented in docs/metrics.md; alerts and the business
// dashboard depend on them). Every label takes values from a small fixed set.
import { Counter, Histogram, type Registry } from '@techcommerce/runtime';
import type { FailureReason } from './domain/types';

/** Why a POST /orders did not create an order. Outages leave the order pending (retryable). */
export type FailedReason =
  FailureReason | 'mixed_currencies' | 'product_api_unavailable' | 'product_api_timeout';

export const FAILED_REASONS: readonly FailedReason[] = [
  'out_of_stock',
  'unknown_product',
  'mixed_currencies',
  'reservation_expired',
  'abandoned',
  'product_api_unavailable',
  'product_api_timeout',
];

export type StockOperation = 'commit' | 'release';
/** done: product-api confirmed; deferred: it could not be asked, the reconciler retries; lost: see docs. */
export type StockResult = 'done' | 'deferred' | 'lost';

export interface OrderMetrics {
  created(currency: string, totalMinor: number): void;
  failed(reason: FailedReason): void;
  cancelled(): void;
  stock(operation: StockOperation, result: StockResult): void;
}

// Order totals in minor units (cents): 5 to 10,000 in the major unit.
const VALUE_BUCKETS = [500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];

export function createOrderMetrics(registry: Registry): OrderMetrics {
  const created = new Counter({
    name: 'orders_created_total',
    help: 'Orders confirmed (stock reserved in product-api).',
    registers: [registry],
  });
  const failed = new Counter({
    name: 'orders_failed_total',
    help: 'Order attempts that did not create an order, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const cancelled = new Counter({
    name: 'orders_cancelled_total',
    help: 'Orders cancelled (their stock released).',
    registers: [registry],
  });
  const value = new Histogram({
    name: 'order_value_minor',
    help: 'Total of each confirmed order in minor currency units (cents), by currency.',
    labelNames: ['currency'] as const,
    buckets: VALUE_BUCKETS,
    registers: [registry],
  });
  const stock = new Counter({
    name: 'orders_stock_operations_total',
    help: 'Commits and releases of order reservations in product-api, by result.',
    labelNames: ['operation', 'result'] as const,
    registers: [registry],
  });
  // Zero-initialised so rate() and absent() work before the first event.
  created.inc(0);
  cancelled.inc(0);
  for (const r of FAILED_REASONS) failed.labels(r).inc(0);
  for (const op of ['commit', 'release'] as const)
    for (const r of ['done', 'deferred', 'lost'] as const) stock.labels(op, r).inc(0);
  return {
    created(currency, totalMinor) {
      created.inc();
      value.labels(currency).observe(totalMinor);
    },
    failed: (reason) => failed.labels(reason).inc(),
    cancelled: () => cancelled.inc(),
    stock: (operation, result) => stock.labels(operation, result).inc(),
  };
}
