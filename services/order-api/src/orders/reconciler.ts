// Finishes stock work that no request finished, on every replica (all steps are compare-and-set
// in the database and idempotent in product-api, so replicas running at once do no harm):
//   - pending orders older than pendingTimeoutSeconds: failed as abandoned, and whatever stock
//     product-api may have taken for them (an answer that never arrived) given back;
//   - releases that product-api could not be asked about: tried again;
//   - orders the earlier version confirmed with their stock only reserved (it committed after a
//     cancellation window): committed now, and commits that failed: tried again.
// A release or commit that fails again waits longer each time (exponential backoff per order, from
// intervalMs up to maxBackoffMs), so a product-api outage is not met with every deferred row every
// round; each replica keeps its own schedule.
import type { Logger } from '@techcommerce/runtime';
import { abandoned } from '../domain/failures';
import type { OrderMetrics } from '../metrics';
import type { OrderStore } from '../store/orders';
import type { StockSync } from './stock';

export interface ReconcilerOptions {
  store: OrderStore;
  stock: StockSync;
  metrics: OrderMetrics;
  logger: Logger;
  pendingTimeoutSeconds: number;
  intervalMs: number;
  /** Rows per kind of work per round. */
  batch?: number;
  /** Longest wait before retrying one order's deferred release or commit (default 5 min). */
  maxBackoffMs?: number;
  /** Tests: the clock. */
  now?: () => number;
}

export interface RoundReport {
  abandoned: number;
  /** Orders of the earlier version whose reservation was committed. */
  committed: number;
  retriedCommits: number;
  retriedReleases: number;
}

// A commit or release started by a request is left to that request for this long.
const UNFINISHED_AFTER_SECONDS = 10;

export interface Reconciler {
  /** One round now (also what the timer runs); concurrent calls share the round in progress. */
  run(): Promise<RoundReport>;
  /** Stops the timer and waits for a round in progress (before the database closes). */
  stop(): Promise<void>;
}

export function startReconciler(o: ReconcilerOptions): Reconciler {
  const batch = o.batch ?? 100;
  const now = o.now ?? Date.now;
  const maxBackoffMs = o.maxBackoffMs ?? 300_000;
  let current: Promise<RoundReport> | undefined;
  // Per order still waiting for its stock: failed attempts and when the next one may be made.
  const backoff = new Map<string, { failures: number; nextAt: number }>();
  const due = (id: string) => (backoff.get(id)?.nextAt ?? 0) <= now();
  const settled = (id: string, stillWaiting: boolean) => {
    if (!stillWaiting) return void backoff.delete(id);
    const failures = (backoff.get(id)?.failures ?? 0) + 1;
    const wait = Math.min(maxBackoffMs, o.intervalMs * 2 ** (failures - 1));
    backoff.set(id, { failures, nextAt: now() + wait });
  };

  async function round(): Promise<RoundReport> {
    const report: RoundReport = { abandoned: 0, committed: 0, retriedCommits: 0, retriedReleases: 0 };
    for (const id of await o.store.abandoned(o.pendingTimeoutSeconds, batch)) {
      const failed = await o.store.fail(id, abandoned(id, o.pendingTimeoutSeconds), 'releasing');
      if (!failed) continue; // a request settled it meanwhile
      o.metrics.failed('abandoned');
      o.logger.warn({ orderId: id }, 'pending order abandoned');
      await o.stock.release(failed);
      report.abandoned++;
    }
    for (const id of await o.store.reservedOnly(batch)) {
      const committing = await o.store.moveStock(id, ['reserved'], 'committing');
      if (!committing) continue; // cancelled meanwhile
      await o.stock.commit(committing);
      report.committed++;
    }
    for (const id of await o.store.unfinishedStock('committing', UNFINISHED_AFTER_SECONDS, batch)) {
      if (!due(id)) continue;
      const order = await o.store.get(id);
      if (order?.stockStatus !== 'committing') {
        settled(id, false);
        continue;
      }
      settled(id, (await o.stock.commit(order)).stockStatus === 'committing');
      report.retriedCommits++;
    }
    for (const id of await o.store.unfinishedStock('releasing', UNFINISHED_AFTER_SECONDS, batch)) {
      if (!due(id)) continue;
      const order = await o.store.get(id);
      if (order?.stockStatus !== 'releasing') {
        settled(id, false);
        continue;
      }
      settled(id, (await o.stock.release(order)).stockStatus === 'releasing');
      report.retriedReleases++;
    }
    return report;
  }

  const run = () =>
    (current ??= round()
      .catch((err: unknown) => {
        o.logger.error({ err }, 'order reconciliation failed; retrying at the next round');
        return { abandoned: 0, committed: 0, retriedCommits: 0, retriedReleases: 0 };
      })
      .finally(() => {
        current = undefined;
      }));

  const timer = setInterval(() => void run(), o.intervalMs);
  timer.unref();
  return {
    run,
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
