// What every page handler needs, passed in once (tests hand in clients pointed at real servers).
import type { Request, Response } from 'express';
import type { Logger } from '@techcommerce/runtime';
import { REQUEST_ID_HEADER } from '@techcommerce/runtime';
import type { CallContext, CatalogApi } from '../api/catalog';
import type { OrdersApi } from '../api/orders';
import type { Cart } from '../cart/cart';
import { CART_COOKIE, readCookie, type CartCookie } from '../cart/cookie';
import { layout } from '../views/layout';
import type { Assets } from './assets';
import type { OrderAccess } from './order-access';
import type { Html } from './html';

export interface WebSettings {
  pageSize: number;
  featuredCount: number;
  maxQuantity: number;
}

export interface WebDeps {
  catalog: CatalogApi;
  orders: OrdersApi;
  cartCookie: CartCookie;
  orderAccess: OrderAccess;
  assets: Assets;
  settings: WebSettings;
  logger: Logger;
}

/** The runtime puts the request id (the caller's or a new one) on the request before Express runs. */
export function callContext(req: Request): CallContext {
  return { requestId: String(req.headers[REQUEST_ID_HEADER] ?? '') };
}

export function readCart(deps: WebDeps, req: Request, res: Response): Cart {
  const result = deps.cartCookie.decode(readCookie(req.headers.cookie, CART_COOKIE));
  if (result.kind === 'rejected') {
    deps.logger.warn({ reqId: callContext(req).requestId, reason: result.reason }, 'cart cookie refused');
    res.append('set-cookie', deps.cartCookie.clearHeader());
  }
  return result.cart;
}

export function saveCart(deps: WebDeps, res: Response, cart: Cart): void {
  res.append('set-cookie', deps.cartCookie.header(cart));
}

export interface PageOptions {
  title: string;
  cart: Cart;
  status?: number;
  categories?: readonly string[];
  currentCategory?: string;
  query?: string;
}

/** Sends a full page. HTML is per shopper (the cart count): never stored by shared caches. */
export function sendPage(deps: WebDeps, res: Response, body: Html, o: PageOptions): void {
  const page = layout({
    title: o.title,
    body,
    cartCount: o.cart.count,
    stylesheet: deps.assets.url('styles.css'),
    categories: o.categories,
    currentCategory: o.currentCategory,
    query: o.query,
  });
  res.status(o.status ?? 200);
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.send(page.value);
}
