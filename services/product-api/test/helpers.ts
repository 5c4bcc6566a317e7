// Shared by the product-api suites: databases on both drivers, migrated and seeded.
import type { Db } from '@techcommerce/runtime';
import { createLogger } from '@techcommerce/runtime/logger';
import {
  DRIVERS,
  LogSink,
  databaseSettings,
  openMigrated as openMigratedWith,
  postgresSettings,
  type Driver,
} from '../../runtime/test/helpers';
import { MIGRATIONS_DIR } from '../src/service';

export const quietLogger = () => createLogger({ service: 'product-api-test', destination: new LogSink() });

export { DRIVERS, LogSink, databaseSettings, postgresSettings, type Driver };

export const openMigrated = (driver: Driver, prefix: string): Promise<Db> =>
  openMigratedWith(MIGRATIONS_DIR, driver, prefix, quietLogger());

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
