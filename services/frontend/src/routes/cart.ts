// Cart pages: the forms post here and are answered with a redirect (post/redirect/get), so a
// reload never repeats an action. The cart cookie is rewritten on every change.
import type { Request, Router } from 'express';
import type { CallContext } from '../api/catalog';
import { CartError, isProductId, type Cart } from '../cart/cart';
import { cartPage, subtotalOf, type CartView, type PricedLine } from '../views/cart';
import { callContext, readCart, saveCart, sendPage, type WebDeps } from '../web/context';
import { labelled } from './label';

const NOTICES: Record<string, { kind: 'ok' | 'warn' | 'error'; text: string }> = {
  added: { kind: 'ok', text: 'Added to your cart.' },
  updated: { kind: 'ok', text: 'Your cart is updated.' },
  removed: { kind: 'ok', text: 'Removed from your cart.' },
  unknown: { kind: 'error', text: 'That product is no longer sold.' },
  'out-of-stock': { kind: 'warn', text: 'That product is out of stock.' },
  invalid: { kind: 'error', text: 'Choose a quantity from the list of allowed values.' },
  full: { kind: 'warn', text: 'Your cart is full: check out or remove something first.' },
};

function quantityFrom(req: Request): number {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const raw = typeof body.quantity === 'string' ? body.quantity.trim() : '';
  return /^[0-9]{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
}

/** Prices the cart with product-api's current data; lines for products that are gone are dropped. */
export async function pricedCart(
  deps: WebDeps,
  ctx: CallContext,
  cart: Cart,
): Promise<{ lines: PricedLine[]; cart: Cart; dropped: number }> {
  const products = await deps.catalog.getMany(
    ctx,
    cart.items.map((i) => i.productId),
  );
  const lines: PricedLine[] = [];
  let kept = cart;
  let dropped = 0;
  for (const item of cart.items) {
    const product = products.get(item.productId);
    if (!product) {
      kept = kept.remove(item.productId);
      dropped++;
      continue;
    }
    lines.push({ product, quantity: item.quantity, lineTotalMinor: product.priceMinor * item.quantity });
  }
  return { lines, cart: kept, dropped };
}

export function cartRoutes(router: Router, deps: WebDeps): void {
  router.get(
    '/cart',
    labelled(async (req, res) => {
      const ctx = callContext(req);
      const priced = await pricedCart(deps, ctx, readCart(deps, req, res));
      const messages: CartView['messages'][number][] = [];
      const key = typeof req.query.notice === 'string' ? req.query.notice : '';
      if (NOTICES[key]) messages.push(NOTICES[key]);
      if (priced.dropped) {
        messages.push({
          kind: 'warn',
          text: 'Some products in your cart are no longer sold and were removed.',
        });
        saveCart(deps, res, priced.cart);
      }
      const view: CartView = {
        lines: priced.lines,
        subtotal: subtotalOf(priced.lines),
        maxQuantity: deps.settings.maxQuantity,
        messages,
      };
      sendPage(deps, res, cartPage(view), { title: 'Your cart', cart: priced.cart });
    }),
  );

  router.post(
    '/cart/items',
    labelled(async (req, res) => {
      const cart = readCart(deps, req, res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const productId = body.productId;
      const quantity = quantityFrom(req);
      if (!isProductId(productId) || !Number.isInteger(quantity) || quantity < 1)
        return void res.redirect(303, '/cart?notice=invalid');
      const product = await deps.catalog.get(callContext(req), productId);
      if (!product) return void res.redirect(303, '/cart?notice=unknown');
      if (product.stock <= 0) return void res.redirect(303, '/cart?notice=out-of-stock');
      try {
        saveCart(deps, res, cart.add(productId, quantity));
      } catch (err) {
        if (!(err instanceof CartError)) throw err;
        return void res.redirect(303, `/cart?notice=${cart.quantityOf(productId) ? 'invalid' : 'full'}`);
      }
      res.redirect(303, '/cart?notice=added');
    }),
  );

  router.post(
    '/cart/items/:id',
    labelled((req, res) => {
      const cart = readCart(deps, req, res);
      const id = String(req.params.id);
      const quantity = quantityFrom(req);
      if (!isProductId(id) || !cart.quantityOf(id)) return void res.redirect(303, '/cart');
      try {
        saveCart(deps, res, cart.set(id, quantity));
      } catch (err) {
        if (!(err instanceof CartError)) throw err;
        return void res.redirect(303, '/cart?notice=invalid');
      }
      res.redirect(303, `/cart?notice=${quantity === 0 ? 'removed' : 'updated'}`);
    }),
  );

  router.post(
    '/cart/items/:id/remove',
    labelled((req, res) => {
      const cart = readCart(deps, req, res);
      const id = String(req.params.id);
      if (isProductId(id) && cart.quantityOf(id)) saveCart(deps, res, cart.remove(id));
      res.redirect(303, '/cart?notice=removed');
    }),
  );
}
