// Stock reservation routes (called by order-api). Each outcome is counted by result.
import { requireDistinctProducts, type RequestContext, type Route } from '@techcommerce/runtime';
import {
  InsufficientStockError,
  InvalidTransitionError,
  NotFoundError,
  ReservationConflictError,
  UnknownProductsError,
} from '../domain/errors';
import type { RequestedItem } from '../domain/types';
import type { CatalogCache } from '../cache';
import type { ProductMetrics, ReservationOperation, ReservationResult } from '../metrics';
import type { ReleaseEffect, ReservationStore } from '../store/reservations';
import { answering } from './errors';

export interface ReservationRouteDeps {
  reservations: ReservationStore;
  cache: CatalogCache;
  metrics: ProductMetrics;
  /** Only order-api may touch stock: its service token (see auth.ts). Runs before the body is read. */
  guard: (ctx: RequestContext) => void;
}

function failureResult(err: unknown): ReservationResult {
  if (err instanceof InsufficientStockError) return 'insufficient_stock';
  if (err instanceof UnknownProductsError) return 'unknown_product';
  if (err instanceof ReservationConflictError) return 'id_conflict';
  if (err instanceof InvalidTransitionError) return 'invalid_transition';
  if (err instanceof NotFoundError) return 'not_found';
  return 'error';
}

const RELEASE_RESULTS: Record<ReleaseEffect, ReservationResult> = {
  released: 'released',
  returned: 'returned',
  unchanged: 'already_released',
  absent: 'absent',
};

export function reservationRoutes(d: ReservationRouteDeps): Route[] {
  // Stock changed: this process's item reads must show it now; lists catch up within the TTL.
  const invalidateItems = (items: { productId: string }[]) => {
    for (const i of items) d.cache.invalidate(`item:${i.productId}`);
  };
  const counted = async <T>(
    op: ReservationOperation,
    run: () => Promise<T>,
    result: (v: T) => ReservationResult,
  ) => {
    try {
      const v = await run();
      d.metrics.reservation(op, result(v));
      return v;
    } catch (err) {
      d.metrics.reservation(op, failureResult(err));
      throw err;
    }
  };

  return [
    {
      method: 'PUT',
      path: '/reservations/:id',
      guard: d.guard,
      handler: answering(async (ctx) => {
        const { items, commit } = ctx.body as { items: RequestedItem[]; commit?: boolean };
        requireDistinctProducts(items, 'list each product once');
        const outcome = await counted(
          'reserve',
          () => d.reservations.reserve(ctx.params.id!, items, { commit }),
          (o) => (o.replayed ? 'replayed' : o.reservation.status === 'committed' ? 'committed' : 'reserved'),
        );
        if (!outcome.replayed) invalidateItems(outcome.reservation.items);
        // Debug: the request line (info) already names the reservation and its outcome (201/200).
        ctx.log.debug(
          {
            reservationId: outcome.reservation.id,
            status: outcome.reservation.status,
            replayed: outcome.replayed,
            items: outcome.reservation.items.length,
          },
          'stock reserved',
        );
        return { status: outcome.replayed ? 200 : 201, body: outcome.reservation };
      }),
    },
    {
      method: 'GET',
      path: '/reservations/:id',
      guard: d.guard,
      handler: answering(async (ctx) => ({ body: await d.reservations.get(ctx.params.id!) })),
    },
    {
      method: 'POST',
      path: '/reservations/:id/commit',
      guard: d.guard,
      handler: answering(async (ctx) => ({
        body: await counted(
          'commit',
          () => d.reservations.commit(ctx.params.id!),
          () => 'committed',
        ),
      })),
    },
    {
      method: 'POST',
      path: '/reservations/:id/release',
      guard: d.guard,
      handler: answering(async (ctx) => {
        const { reservation, effect } = await counted(
          'release',
          () => d.reservations.release(ctx.params.id!),
          (o) => RELEASE_RESULTS[o.effect],
        );
        if (effect === 'released' || effect === 'returned') {
          invalidateItems(reservation.items);
          ctx.log.info({ reservationId: reservation.id, effect }, 'stock released');
        }
        return { body: reservation };
      }),
    },
  ];
}
