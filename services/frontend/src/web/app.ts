// The storefront's Express app. The runtime hands it every request that is not /healthz, /readyz
// or /metrics, after setting the request id and security headers; this app adds compression,
// the fingerprinted static files, the pages, and the error pages.
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { isUpstreamOutage, UpstreamError } from '@techcommerce/runtime';
import type { Cart } from '../cart/cart';
import { CART_COOKIE, readCookie } from '../cart/cookie';
import { cartRoutes } from '../routes/cart';
import { catalogRoutes } from '../routes/catalog';
import { checkoutRoutes } from '../routes/checkout';
import { labelled } from '../routes/label';
import { badRequestPage, errorPage, notFoundPage, unavailablePage } from '../views/errors';
import { IMMUTABLE } from './assets';
import { CategoryNav } from './categories';
import { callContext, sendPage, type WebDeps } from './context';
import { sameOriginPosts } from './same-origin';

export function createWebApp(deps: WebDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(compression({ threshold: 1024 }));

  app.get(
    '/assets/:file',
    labelled((req, res, next) => {
      const asset = deps.assets.find(req.path);
      if (!asset) return next();
      res.setHeader('content-type', asset.contentType);
      res.setHeader('cache-control', IMMUTABLE);
      res.send(asset.body);
    }),
  );

  // Before any form is read: a post from another site is refused (web/same-origin.ts).
  app.use(
    sameOriginPosts((req, res, reason) => {
      deps.logger.warn({ reqId: callContext(req).requestId, reason }, 'cross-site form post refused');
      sendPage(
        deps,
        res,
        badRequestPage('That form was sent from another site. Please use the form on this page.'),
        {
          title: 'Forbidden',
          cart: cartOf(deps, req),
          status: 403,
        },
      );
    }),
  );

  // Forms only: small, flat fields. A bigger body is refused with 413 by the error handler.
  app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));

  const router = express.Router();
  const nav = new CategoryNav(deps.catalog);
  catalogRoutes(router, deps, nav);
  cartRoutes(router, deps);
  checkoutRoutes(router, deps);
  app.use(router);

  app.use((req: Request, res: Response) => {
    sendPage(deps, res, notFoundPage(), { title: 'Not found', cart: cartOf(deps, req), status: 404 });
  });

  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const cart = cartOf(deps, req);
    const log = deps.logger.child({ reqId: callContext(req).requestId });
    if (isUpstreamOutage(err)) {
      // Which API failed decides the message; a shopper learns nothing about our internals.
      const what = err.upstream === 'order-api' ? 'orders' : 'catalog';
      log.warn({ upstream: err.upstream, error: err.message }, 'upstream outage: answering 503');
      res.setHeader('retry-after', '30');
      sendPage(deps, res, unavailablePage(what), {
        title: what === 'orders' ? 'Orders temporarily unavailable' : 'Catalog temporarily unavailable',
        cart,
        status: 503,
      });
      return;
    }
    const status = httpStatusOf(err);
    if (status === 413 || status === 400) {
      sendPage(deps, res, notFoundPage('That form could not be read.'), {
        title: 'Bad request',
        cart,
        status,
      });
      return;
    }
    if (err instanceof UpstreamError) log.error({ error: err.message }, 'upstream refused a request');
    else log.error({ err }, 'page failed');
    sendPage(deps, res, errorPage(callContext(req).requestId), { title: 'Error', cart, status: 500 });
  });
  return app;
}

// Error pages still show the shopper's cart count (an outage page promises the cart is safe);
// a cookie that does not verify counts as empty here and is dealt with on the next normal page.
function cartOf(deps: WebDeps, req: Request): Cart {
  return deps.cartCookie.decode(readCookie(req.headers.cookie, CART_COOKIE)).cart;
}

function httpStatusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}
