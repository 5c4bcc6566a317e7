// Shared by the order-api suites: a real product-api (in-process, on the test PostgreSQL), order-api
// on either database driver, and databases for the store suite.
import type { AddressInfo } from 'node:net';
import { createLogger, createService, type Db, type ServiceInstance } from '@techcommerce/runtime';
import request from 'supertest';
import { createTestDatabase } from '../../../scripts/src/testing/postgres';
import { productApi, type ProductApiConfig } from '../../product-api/src/service';
import {
  DRIVERS,
  LogSink,
  databaseSettings,
  openMigrated as openMigratedWith,
  postgresSettings,
  type Driver,
} from '../../runtime/test/helpers';
import { MIGRATIONS_DIR, orderApi, type OrderApiConfig } from '../src/service';

export { DRIVERS, LogSink, databaseSettings, postgresSettings, type Driver };

export const quietLogger = () => createLogger({ service: 'order-api-test', destination: new LogSink() });

export const openMigrated = (driver: Driver, prefix: string): Promise<Db> =>
  openMigratedWith(MIGRATIONS_DIR, driver, prefix, quietLogger());

const ADMIN_TOKEN = 'order-api-test-admin-token';
/** The service token product-api requires on its reservation endpoints, and order-api sends. */
export const RESERVATIONS_TOKEN = 'order-api-test-reservations-token';

export interface CatalogItem {
  id: string;
  sku: string;
  name: string;
  priceMinor: number;
  currency: string;
  stock: number;
}

/** A real product-api listening on loopback, with helpers to create products and read stock. */
export interface RunningProductApi {
  url: string;
  svc: ServiceInstance<ProductApiConfig>;
  product(sku: string, o?: { stock?: number; priceMinor?: number; currency?: string }): Promise<CatalogItem>;
  stockOf(id: string): Promise<number>;
  /** The reservation's status, or 404. */
  reservation(
    id: string,
  ): Promise<{ status: string; items: { productId: string; quantity: number }[] } | 404>;
  close(): Promise<void>;
}

let skuCounter = 0;

export async function startProductApi(config: Partial<ProductApiConfig> = {}): Promise<RunningProductApi> {
  const svc = await createService(productApi, {
    env: { ADMIN_TOKEN, RESERVATIONS_TOKEN },
    config: {
      server: { port: 5000, drainDelaySeconds: 0 },
      database: postgresSettings(await createTestDatabase('oa_products')),
      catalog: { cacheTtlMs: 0, seedWhenEmpty: false },
      log: { requests: false },
      ...config,
    },
    logDestination: new LogSink(),
  });
  const addr = await svc.listen(0, '127.0.0.1');
  const api = request(svc.app.server);
  return {
    url: `http://127.0.0.1:${(addr as AddressInfo).port}`,
    svc,
    async product(sku, o = {}) {
      const res = await api
        .post('/products')
        .set({ authorization: `Bearer ${ADMIN_TOKEN}` })
        .send({
          sku: `${sku}-${++skuCounter}`,
          name: `Product ${sku}`,
          category: 'test',
          priceMinor: o.priceMinor ?? 1250,
          currency: o.currency ?? 'EUR',
          stock: o.stock ?? 10,
        });
      if (res.status !== 201) throw new Error(`product-api refused the product: ${res.status} ${res.text}`);
      return res.body as CatalogItem;
    },
    async stockOf(id) {
      return ((await api.get(`/products/${id}`).expect(200)).body as CatalogItem).stock;
    },
    async reservation(id) {
      const res = await api.get(`/reservations/${id}`).set({ authorization: `Bearer ${RESERVATIONS_TOKEN}` });
      return res.status === 404 ? 404 : res.body;
    },
    close: async () => {
      await svc.shutdown();
    },
  };
}

export type OrderApi = ServiceInstance<OrderApiConfig>;

export async function startOrderApi(
  productApiUrl: string,
  o: { driver?: Driver; config?: Partial<OrderApiConfig>; logs?: LogSink; env?: Record<string, string> } = {},
): Promise<OrderApi> {
  const { productApi: upstream, ...rest } = o.config ?? {};
  return createService(orderApi, {
    env: { RESERVATIONS_TOKEN, ...o.env },
    config: {
      server: { port: 7000, drainDelaySeconds: 0 },
      database: await databaseSettings(o.driver ?? 'postgres', 'oa_orders'),
      ...rest,
      productApi: { url: productApiUrl, ...upstream },
    },
    logDestination: o.logs ?? new LogSink(),
  });
}

export const newKey = () => `key-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;

/** The value of one sample in Prometheus text, e.g. metric(text, 'orders_failed_total{reason="out_of_stock"}'). */
export function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no series ${series} in /metrics`);
  return Number(line.slice(series.length + 1));
}
