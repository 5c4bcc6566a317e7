// The order routes. POST /orders needs an Idempotency-Key header (checked before the body is read).
import {
  requireDistinctProducts,
  validationError,
  type RequestContext,
  type Route,
} from '@techcommerce/runtime';
import type { OrderRequest } from '../domain/types';
import type { ListQuery, Orders } from '../orders/orders';
import { answering } from './errors';
import { orderView } from './view';

// Visible ASCII: UUIDs, ULIDs and the like; never whitespace or control characters.
const KEY = /^[\x21-\x7E]{1,200}$/;
const KEY_FIELD = 'header.Idempotency-Key';

export function idempotencyKey(ctx: RequestContext): string {
  const value = ctx.headers['idempotency-key'];
  if (value === undefined || value === '') {
    throw validationError([
      {
        field: KEY_FIELD,
        message: 'is required: one unique value per order (e.g. a UUID), sent again only to retry it',
      },
    ]);
  }
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw validationError([{ field: KEY_FIELD, message: 'must be 1 to 200 visible ASCII characters' }]);
  }
  return value;
}

/** adminOnly: the guard of listing and cancelling (ORDERS_ADMIN_TOKEN, see service.ts). */
export function orderRoutes(orders: Orders, adminOnly: (ctx: RequestContext) => void): Route[] {
  return [
    {
      method: 'POST',
      path: '/orders',
      guard: (ctx) => void idempotencyKey(ctx),
      handler: answering(async (ctx) => {
        const request = ctx.body as OrderRequest;
        // A repeated product would be ambiguous to price.
        requireDistinctProducts(request.items, 'put the whole quantity on one line');
        const { order, created } = await orders.place(request, idempotencyKey(ctx), ctx);
        const headers: Record<string, string> = { location: `/orders/${order.id}` };
        if (!created) headers['idempotent-replayed'] = 'true';
        return { status: created ? 201 : 200, body: orderView(order), headers };
      }),
    },
    {
      method: 'GET',
      path: '/orders',
      guard: adminOnly,
      handler: answering(async (ctx) => {
        const page = await orders.list(ctx.query as unknown as ListQuery);
        return { body: { items: page.items.map(orderView), nextCursor: page.nextCursor } };
      }),
    },
    {
      method: 'GET',
      path: '/orders/:id',
      handler: answering(async (ctx) => ({
        body: orderView(await orders.get(ctx.params.id!.toLowerCase())),
      })),
    },
    {
      method: 'POST',
      path: '/orders/:id/cancel',
      guard: adminOnly,
      handler: answering(async (ctx) => ({
        body: orderView(await orders.cancel(ctx.params.id!.toLowerCase(), ctx)),
      })),
    },
  ];
}
