// Home, listing (all products, a category, a search) and product pages.
import type { Router } from 'express';
import { BadListingRequest, type ListOptions } from '../api/catalog';
import { homePage, listingPage, productPage } from '../views/catalog';
import { badRequestPage, notFoundPage } from '../views/errors';
import type { CategoryNav } from '../web/categories';
import { callContext, readCart, sendPage, type WebDeps } from '../web/context';
import { labelled } from './label';

const first = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

export function catalogRoutes(router: Router, deps: WebDeps, nav: CategoryNav): void {
  router.get(
    '/',
    labelled(async (req, res) => {
      const ctx = callContext(req);
      const cart = readCart(deps, req, res);
      const [page, categories] = await Promise.all([
        deps.catalog.list(ctx, { limit: deps.settings.featuredCount, sort: '-createdAt' }),
        deps.catalog.categories(ctx),
      ]);
      const names = categories.map((c) => c.category);
      sendPage(deps, res, homePage(page.items, categories), { title: 'Home', cart, categories: names });
    }),
  );

  router.get(
    '/products',
    labelled(async (req, res) => {
      const ctx = callContext(req);
      const cart = readCart(deps, req, res);
      const q = first(req.query.q)?.trim().slice(0, 100) || undefined;
      const category = first(req.query.category)?.trim().slice(0, 64) || undefined;
      const cursor = first(req.query.cursor) || undefined;
      const page = Math.max(1, Math.min(10_000, Number.parseInt(first(req.query.page) ?? '1', 10) || 1));
      const opts: ListOptions = { limit: deps.settings.pageSize, q, category, cursor, sort: 'name' };
      let result;
      const categories = nav.names(ctx);
      try {
        result = await deps.catalog.list(ctx, opts);
      } catch (err) {
        if (!(err instanceof BadListingRequest)) throw err;
        sendPage(deps, res, badRequestPage('That page of the listing does not exist any more.'), {
          title: 'Bad request',
          cart,
          status: 400,
          categories: await categories,
          query: q,
        });
        return;
      }
      const base = new URLSearchParams();
      if (q) base.set('q', q);
      if (category) base.set('category', category);
      const href = (extra: Record<string, string>) => {
        const p = new URLSearchParams(base);
        for (const [k, v] of Object.entries(extra)) p.set(k, v);
        const s = p.toString();
        return s ? `/products?${s}` : '/products';
      };
      const heading = q
        ? `Results for “${q}”${category ? ` in ${category}` : ''}`
        : category
          ? category.charAt(0).toUpperCase() + category.slice(1)
          : 'All products';
      const body = listingPage({
        heading,
        items: result.items,
        page,
        query: q,
        firstHref: href({}),
        nextHref: result.nextCursor ? href({ cursor: result.nextCursor, page: String(page + 1) }) : undefined,
      });
      sendPage(deps, res, body, {
        title: heading,
        cart,
        categories: await categories,
        currentCategory: category,
        query: q,
      });
    }),
  );

  router.get(
    '/products/:id',
    labelled(async (req, res) => {
      const ctx = callContext(req);
      const cart = readCart(deps, req, res);
      const id = String(req.params.id);
      const [product, categories] = await Promise.all([deps.catalog.get(ctx, id), nav.names(ctx)]);
      if (!product) {
        sendPage(deps, res, notFoundPage('That product does not exist or is no longer sold.'), {
          title: 'Product not found',
          cart,
          status: 404,
          categories,
        });
        return;
      }
      sendPage(deps, res, productPage(product, cart.quantityOf(product.id), deps.settings.maxQuantity), {
        title: product.name,
        cart,
        categories,
        currentCategory: product.category,
      });
    }),
  );
}
