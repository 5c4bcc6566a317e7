// Business metrics (names and labels are documented in docs/metrics.md; alerts depend on them).
import { Counter, type Registry } from '@techcommerce/runtime';
import type { CacheStats } from './cache';

export type ReservationOperation = 'reserve' | 'commit' | 'release' | 'expire';
export type ReservationResult =
  | 'reserved'
  | 'committed'
  | 'replayed'
  | 'insufficient_stock'
  | 'unknown_product'
  | 'id_conflict'
  | 'released'
  | 'returned'
  | 'already_released'
  | 'absent'
  | 'invalid_transition'
  | 'not_found'
  | 'error';

// Series that exist from start-up (value 0), so ratios and absent() work before the first event.
const ZERO_SERIES: [ReservationOperation, ReservationResult][] = [
  ...(
    ['reserved', 'committed', 'replayed', 'insufficient_stock', 'unknown_product', 'id_conflict'] as const
  ).map((r): [ReservationOperation, ReservationResult] => ['reserve', r]),
  ['commit', 'committed'],
  ...(['released', 'returned', 'already_released', 'absent'] as const).map(
    (r): [ReservationOperation, ReservationResult] => ['release', r],
  ),
  ['expire', 'released'],
];

export interface ProductMetrics {
  reservation(operation: ReservationOperation, result: ReservationResult): void;
  cache: CacheStats;
}

export function createProductMetrics(registry: Registry): ProductMetrics {
  const reservations = new Counter({
    name: 'product_stock_reservations_total',
    help: 'Stock reservation operations by operation (reserve, commit, release, expire) and result.',
    labelNames: ['operation', 'result'] as const,
    registers: [registry],
  });
  const cache = new Counter({
    name: 'product_catalog_cache_requests_total',
    help: 'Catalog read cache lookups by result (hit, miss).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const [operation, result] of ZERO_SERIES) reservations.labels(operation, result).inc(0);
  const hit = cache.labels('hit');
  const miss = cache.labels('miss');
  hit.inc(0);
  miss.inc(0);
  return {
    reservation: (operation, result) => reservations.labels(operation, result).inc(),
    cache: { hit: () => hit.inc(), miss: () => miss.inc() },
  };
}
