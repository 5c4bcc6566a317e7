// The storefront as a runtime service: config, the COOKIE_SECRET secret, the two API clients,
// readiness, and the Express app that serves the pages.
import path from 'node:path';
import {
  ConfigError,
  UpstreamClient,
  type HelmetOptions,
  type ServiceDefinition,
} from '@techcommerce/runtime';
import { CatalogApi } from './api/catalog';
import { OrdersApi } from './api/orders';
import { CartCookie } from './cart/cookie';
import type { FrontendRuntimeConfig } from './generated/config';
import configSchema from './generated/config.schema.json';
import { createWebApp } from './web/app';
import { OrderAccess } from './web/order-access';
import { Assets } from './web/assets';

export type FrontendConfig = FrontendRuntimeConfig;

// src/ and dist/ both sit one level below the service folder that holds public/.
export const PUBLIC_DIR = path.resolve(__dirname, '..', 'public');

/**
 * Signs carts when COOKIE_SECRET is not set, in development only. It is public (it is in the
 * source), so anyone could forge a cart with it: every other environment refuses to start without
 * a real secret.
 */
export const DEVELOPMENT_COOKIE_SECRET = 'development-only-cookie-secret-not-for-any-cluster';

/**
 * Helmet for HTML: everything from this origin only, no inline script or style, no plugins, no
 * framing, forms post only back here.
 */
export const storefrontHelmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
};

// order-api records the order and confirms it around its call to product-api: two short
// transactions and the hops, well inside this.
const ORDER_API_OWN_WORK_MS = 2000;

/**
 * How long the storefront waits for POST /orders: unless configured, order-api's budget for
 * product-api (the upstream schema's totalTimeoutMs default, the value order-api runs with unless
 * its own config says otherwise) plus order-api's own work. Shorter, and the storefront would give
 * up on orders order-api still confirms.
 */
export function placeOrderTimeoutMs(config: FrontendConfig): number {
  const orderApiUpstreamBudget =
    configSchema.properties.apis.properties.orderApi.allOf[0]!.properties.totalTimeoutMs.default;
  return config.checkout?.placeOrderTimeoutMs ?? orderApiUpstreamBudget + ORDER_API_OWN_WORK_MS;
}

export function cookieSecret(config: FrontendConfig, secret: string | undefined): string {
  if (secret) return secret;
  if ((config.environment ?? 'development') === 'development') return DEVELOPMENT_COOKIE_SECRET;
  throw new ConfigError(
    `frontend: COOKIE_SECRET (or COOKIE_SECRET_FILE) is required when environment is ${config.environment}; ` +
      'only development may use the built-in development key',
  );
}

export const frontend: ServiceDefinition<FrontendConfig, 'COOKIE_SECRET'> = {
  name: 'frontend',
  configSchema,
  secrets: ['COOKIE_SECRET'],
  securityHeaders: storefrontHelmetOptions,
  setup({ config, secrets, logger, registry }) {
    const environment = config.environment ?? 'development';
    const secret = cookieSecret(config, secrets.COOKIE_SECRET);
    if (!secrets.COOKIE_SECRET)
      logger.warn('COOKIE_SECRET is not set: carts are signed with the development key');
    const cart = config.cart ?? {};
    const limits = { maxLines: cart.maxLines ?? 20, maxQuantity: cart.maxQuantity ?? 10 };
    const cookieOptions = {
      maxAgeSeconds: (cart.maxAgeDays ?? 30) * 86400,
      secure: environment === 'staging' || environment === 'production',
    };
    const cartCookie = new CartCookie(secret, limits, cookieOptions);
    const apis = config.apis ?? {};
    const productApi = new UpstreamClient({
      name: 'product-api',
      settings: { url: 'http://localhost:5000', ...apis.productApi },
      registry,
      logger,
    });
    const orderApi = new UpstreamClient({
      name: 'order-api',
      settings: { url: 'http://localhost:7000', ...apis.orderApi },
      registry,
      logger,
    });
    const catalog = new CatalogApi(productApi);
    const orders = new OrdersApi(orderApi, placeOrderTimeoutMs(config));
    const app = createWebApp({
      catalog,
      orders,
      cartCookie,
      orderAccess: new OrderAccess(secret, cookieOptions),
      assets: new Assets(PUBLIC_DIR),
      settings: {
        pageSize: config.catalog?.pageSize ?? 12,
        featuredCount: config.catalog?.featuredCount ?? 8,
        maxQuantity: limits.maxQuantity,
      },
      logger,
    });
    return {
      routes: [],
      fallback: app,
      // By default readiness is the process alone: an API outage must stay partial (browsing
      // works while order-api is down; pages say "temporarily unavailable" while product-api is).
      checks: config.readiness?.requireApis
        ? [
            { name: 'product-api', check: () => catalog.ping() },
            { name: 'order-api', check: () => orders.ping() },
          ]
        : [],
      onShutdown: [() => productApi.close(), () => orderApi.close()],
    };
  },
};
