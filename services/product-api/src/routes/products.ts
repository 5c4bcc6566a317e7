// Catalog routes: reads are served from the read cache (serialised JSON), admin writes go to the
// store and invalidate the cache.
import { headerText, HttpError, problemType, type RequestContext, type Route } from '@techcommerce/runtime';
import { etagOf, versionOf } from '../domain/etag';
import type { CatalogCache } from '../cache';
import type { ListQuery, NewProduct, Product, ProductPatch, ProductVersion } from '../domain/types';
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

/**
 * The version a PATCH is conditional on. An absolute `stock` needs one (428 without): set blindly,
 * it would undo reservations made since the writer read the product; `stockDelta` needs none.
 */
function conditionOf(ctx: RequestContext, patch: ProductPatch): ProductVersion | undefined {
  // Not both stock and stockDelta: the schema says so (dependentSchemas), so validation refused it.
  const ifMatch = headerText(ctx.headers, 'If-Match');
  if (ifMatch === undefined) {
    if (patch.stock === undefined) return undefined;
    throw new HttpError(
      428,
      'setting stock needs If-Match with the ETag of the product as read; or send stockDelta',
      {
        type: problemType('precondition-required'),
        title: 'Precondition Required',
      },
    );
  }
  const version = versionOf(ifMatch);
  if (!version)
    throw new HttpError(412, 'If-Match is not an ETag of this product', {
      type: problemType('precondition-failed'),
      title: 'Product changed',
    });
  return version;
}

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
          const raw = await d.cache.get(`item:${id}`, async () => serialise(await d.products.get(id)));
          return { raw, headers: { etag: etagOf(JSON.parse(raw.toString('utf8')) as Product) } };
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
          const patch = ctx.body as ProductPatch;
          const product = await d.products.update(
            ctx.params.id!.toLowerCase(),
            patch,
            conditionOf(ctx, patch),
          );
          d.cache.invalidateAll();
          ctx.log.info({ productId: product.id, fields: Object.keys(patch) }, 'product updated');
          return { body: product, headers: { etag: etagOf(product) } };
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
