// Catalog routes: reads are served from the read cache (serialised JSON), admin writes go to the
// store and invalidate the cache.
import type { RequestContext, Route } from '@techcommerce/runtime';
import type { CatalogCache } from '../cache';
import type { ListQuery, NewProduct, ProductPatch } from '../domain/types';
import type { FaultInjector } from '../faults';
import type { ProductStore } from '../store/products';
import { answering } from './errors';

export interface ProductRouteDeps {
  products: ProductStore;
  cache: CatalogCache;
  adminGuard: (ctx: RequestContext) => void;
  faults?: FaultInjector;
}

const serialise = (value: unknown) => Buffer.from(JSON.stringify(value));

export function productRoutes(d: ProductRouteDeps): Route[] {
  const faults = d.faults;
  const withFaults = (h: Route['handler']): Route['handler'] =>
    faults
      ? async (ctx) => {
          await faults.apply();
          return h(ctx);
        }
      : h;

  return [
    {
      method: 'GET',
      path: '/products',
      handler: withFaults(
        answering(async (ctx) => {
          // Validation has coerced and defaulted the query; the URL is a fine cache key (a
          // different parameter order only costs another entry).
          const query = ctx.query as unknown as ListQuery;
          return {
            raw: await d.cache.get(`list:${ctx.req.url}`, async () =>
              serialise(await d.products.list(query)),
            ),
          };
        }),
      ),
    },
    {
      method: 'GET',
      path: '/products/:id',
      handler: withFaults(
        answering(async (ctx) => {
          const id = ctx.params.id!.toLowerCase();
          return { raw: await d.cache.get(`item:${id}`, async () => serialise(await d.products.get(id))) };
        }),
      ),
    },
    {
      method: 'GET',
      path: '/categories',
      handler: answering(async () => ({
        raw: await d.cache.get('categories', async () => serialise({ items: await d.products.categories() })),
      })),
    },
    {
      method: 'POST',
      path: '/products',
      guard: d.adminGuard,
      handler: withFaults(
        answering(async (ctx) => {
          const product = await d.products.create(ctx.body as NewProduct);
          d.cache.invalidateAll();
          ctx.log.info({ productId: product.id, sku: product.sku }, 'product created');
          return { status: 201, body: product, headers: { location: `/products/${product.id}` } };
        }),
      ),
    },
    {
      method: 'PATCH',
      path: '/products/:id',
      guard: d.adminGuard,
      handler: withFaults(
        answering(async (ctx) => {
          const product = await d.products.update(ctx.params.id!.toLowerCase(), ctx.body as ProductPatch);
          d.cache.invalidateAll();
          ctx.log.info({ productId: product.id, fields: Object.keys(ctx.body as object) }, 'product updated');
          return { body: product };
        }),
      ),
    },
    {
      method: 'DELETE',
      path: '/products/:id',
      guard: d.adminGuard,
      handler: withFaults(
        answering(async (ctx) => {
          await d.products.delete(ctx.params.id!.toLowerCase());
          d.cache.invalidateAll();
          ctx.log.info({ productId: ctx.params.id }, 'product deleted');
        }),
      ),
    },
  ];
}
