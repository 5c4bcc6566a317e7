// Releases expired reservations in the background (each replica; safe concurrently), so stock a
// crashed caller reserved comes back within ttlSeconds + sweepIntervalSeconds, and purges
// tombstones older than their retention. stop() waits for a sweep in progress, so the database is
// never closed under it.
import type { Logger } from '@techcommerce/runtime';
import type { CatalogCache } from './cache';
import type { ProductMetrics } from './metrics';
import type { ReservationStore } from './store/reservations';

export function startReservationSweeper(d: {
  reservations: ReservationStore;
  cache: CatalogCache;
  metrics: ProductMetrics;
  logger: Logger;
  intervalMs: number;
  /** Tombstones older than this are deleted (reservations.tombstoneRetentionHours). */
  tombstoneRetentionHours?: number;
}): { sweep: () => Promise<number>; stop: () => Promise<void> } {
  let running: Promise<number> | undefined;
  const sweep = () =>
    (running ??= (async () => {
      try {
        const released = await d.reservations.releaseExpired();
        for (const r of released) {
          d.metrics.reservation('expire', 'released');
          for (const i of r.items) d.cache.invalidate(`item:${i.productId}`);
        }
        if (released.length)
          d.logger.info({ reservations: released.map((r) => r.id) }, 'released expired reservations');
        const purged = await d.reservations.purgeTombstones(d.tombstoneRetentionHours ?? 168);
        if (purged) d.logger.info({ purged }, 'purged reservation tombstones past their retention');
        return released.length;
      } catch (err) {
        d.logger.error({ err }, 'releasing expired reservations failed; retrying at the next sweep');
        return 0;
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => void sweep(), d.intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
