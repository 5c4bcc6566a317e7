// order-api as a runtime service: config schema, secrets, routes, readiness, background work, shutdown.
import path from 'node:path';
import {
  bearerGuard,
  ConfigError,
  openServiceDatabase,
  UpstreamClient,
  type ServiceDefinition,
} from '@techcommerce/runtime';
import { ProductApi } from './clients/product-api';
import type { OrderApiRuntimeConfig } from './generated/config';
import configSchema from './generated/config.schema.json';
import { createOrderMetrics } from './metrics';
import { buildOpenApi } from './openapi';
import { Orders } from './orders/orders';
import { startReconciler } from './orders/reconciler';
import { StockSync } from './orders/stock';
import { orderRoutes } from './routes/orders';
import { OrderStore } from './store/orders';

export type OrderApiConfig = OrderApiRuntimeConfig;

// src/ and dist/ both sit one level below the service folder that holds migrations/.
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

export const orderApi: ServiceDefinition<
  OrderApiConfig,
  'DATABASE_PASSWORD' | 'RESERVATIONS_TOKEN' | 'ORDERS_ADMIN_TOKEN'
> = {
  name: 'order-api',
  configSchema,
  // RESERVATIONS_TOKEN: order-api's credential for product-api's reservation endpoints.
  // ORDERS_ADMIN_TOKEN: what listing a customer's orders and cancelling need (no pod of the
  // storefront has it: the shop shows one order at a time and does not cancel).
  secrets: ['DATABASE_PASSWORD', 'RESERVATIONS_TOKEN', 'ORDERS_ADMIN_TOKEN'],
  async setup({ config, secrets, logger, registry, env }) {
    // The schema's default fills productApi in; without it the config was not validated.
    if (!config.productApi) throw new ConfigError('order-api: config.productApi is missing');
    const adminOnly = bearerGuard({
      token: secrets.ORDERS_ADMIN_TOKEN,
      secret: 'ORDERS_ADMIN_TOKEN',
      realm: 'order-api customer orders',
      what: 'listing and cancelling orders',
      whenUnset: 'allow',
    });
    if (!secrets.ORDERS_ADMIN_TOKEN)
      logger.warn('ORDERS_ADMIN_TOKEN is not set: any caller may list and cancel orders (laptop only)');
    // Made first: a bad URL stops start-up before a database is opened.
    const http = new UpstreamClient({
      name: 'product-api',
      settings: config.productApi,
      bearerToken: secrets.RESERVATIONS_TOKEN,
      registry,
      logger,
    });
    const db = await openServiceDatabase({
      service: 'order-api',
      settings: config.database ?? {},
      env,
      logger,
      migrationsDir: MIGRATIONS_DIR,
    });
    const metrics = createOrderMetrics(registry);
    const store = new OrderStore(db);
    const products = new ProductApi(http);
    const stock = new StockSync(store, products, metrics, logger);
    const orders = new Orders({ store, products, stock, metrics, logger });
    const reconciler = startReconciler({
      store,
      stock,
      metrics,
      logger,
      pendingTimeoutSeconds: config.orders?.pendingTimeoutSeconds ?? 120,
      intervalMs: (config.orders?.reconcileIntervalSeconds ?? 5) * 1000,
    });
    return {
      openapi: buildOpenApi(),
      routes: orderRoutes(orders, adminOnly),
      // product-api is deliberately not a readiness check: while it is down, order-api must stay
      // in its Service to answer 503 problems quickly (and serve reads), not vanish from it.
      checks: [{ name: 'database', check: () => db.ping() }],
      // Hooks run in reverse: the reconciler stops, then connections to product-api, then the database.
      onShutdown: [() => db.close(), () => http.close(), reconciler.stop],
    };
  },
};
