// product-api as a runtime service: config schema, secrets, routes, readiness, shutdown.
import path from 'node:path';
import { openServiceDatabase, type ServiceDefinition } from '@techcommerce/runtime';
import { adminGuard, reservationsGuard } from './auth';
import { CatalogCache } from './cache';
import type { ProductApiRuntimeConfig } from './generated/config';
import configSchema from './generated/config.schema.json';
import { FaultInjector } from './faults';
import { createProductMetrics } from './metrics';
import { buildOpenApi } from './openapi';
import { faultRoutes } from './routes/faults';
import { productRoutes } from './routes/products';
import { reservationRoutes } from './routes/reservations';
import { seedCatalog } from './seed/catalog';
import { seedIfEmpty } from './seed/seed';
import { ProductStore } from './store/products';
import { ReservationStore } from './store/reservations';
import { startReservationSweeper } from './sweeper';

export type ProductApiConfig = ProductApiRuntimeConfig;

// src/ and dist/ both sit one level below the service folder that holds migrations/.
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

export const productApi: ServiceDefinition<
  ProductApiConfig,
  'ADMIN_TOKEN' | 'RESERVATIONS_TOKEN' | 'DATABASE_PASSWORD'
> = {
  name: 'product-api',
  configSchema,
  secrets: ['ADMIN_TOKEN', 'RESERVATIONS_TOKEN', 'DATABASE_PASSWORD'],
  async setup({ config, secrets, logger, registry, env }) {
    const guard = adminGuard(secrets.ADMIN_TOKEN);
    if (!secrets.ADMIN_TOKEN) logger.warn('ADMIN_TOKEN is not set: admin writes are disabled');
    const serviceGuard = reservationsGuard(secrets.RESERVATIONS_TOKEN);
    if (!secrets.RESERVATIONS_TOKEN)
      logger.warn(
        'RESERVATIONS_TOKEN is not set: any caller may reserve, commit and release stock (laptop only)',
      );
    const db = await openServiceDatabase({
      service: 'product-api',
      settings: config.database ?? {},
      env,
      logger,
      migrationsDir: MIGRATIONS_DIR,
    });
    try {
      if (config.catalog?.seedWhenEmpty ?? true) await seedIfEmpty(db, seedCatalog, logger);
    } catch (err) {
      await db.close();
      throw err;
    }
    const metrics = createProductMetrics(registry);
    const cache = new CatalogCache(
      config.catalog?.cacheTtlMs ?? 1000,
      config.catalog?.cacheMaxEntries ?? 1000,
      metrics.cache,
    );
    const reservations = new ReservationStore(db, config.reservations?.ttlSeconds ?? 900);
    const sweeper = startReservationSweeper({
      reservations,
      cache,
      metrics,
      logger,
      intervalMs: (config.reservations?.sweepIntervalSeconds ?? 30) * 1000,
      tombstoneRetentionHours: config.reservations?.tombstoneRetentionHours ?? 168,
    });
    const faultsEnabled = config.faults?.enabled ?? false;
    const faults = faultsEnabled ? new FaultInjector() : undefined;
    if (faults) logger.warn('faults.enabled: PUT /admin/faults can make product routes fail (test only)');
    return {
      openapi: buildOpenApi({ faults: faultsEnabled }),
      routes: [
        ...productRoutes({ products: new ProductStore(db), cache, adminGuard: guard, faults }),
        ...reservationRoutes({ reservations, cache, metrics, guard: serviceGuard }),
        ...(faults ? faultRoutes(faults, guard) : []),
      ],
      checks: [{ name: 'database', check: () => db.ping() }],
      // Hooks run in reverse: the sweeper stops before the database closes.
      onShutdown: [() => db.close(), sweeper.stop],
    };
  },
};
