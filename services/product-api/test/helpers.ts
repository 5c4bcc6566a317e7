// Shared by the product-api suites: databases on both drivers, migrated and seeded.
import { migrate, loadMigrations, openDatabase, type Db } from '@techcommerce/runtime';
import { createLogger } from '@techcommerce/runtime/logger';
import { createTestDatabase } from '../../../scripts/src/testing/postgres';
import { LogSink, postgresSettings } from '../../runtime/test/helpers';
import { MIGRATIONS_DIR } from '../src/service';

export { LogSink, postgresSettings };

export const quietLogger = () => createLogger({ service: 'product-api-test', destination: new LogSink() });

export type Driver = 'postgres' | 'pglite';
export const DRIVERS: Driver[] = ['postgres', 'pglite'];

export async function databaseSettings(driver: Driver, prefix: string) {
  return driver === 'postgres'
    ? postgresSettings(await createTestDatabase(prefix))
    : { driver: 'pglite' as const };
}

export async function openMigrated(driver: Driver, prefix: string): Promise<Db> {
  const logger = quietLogger();
  const db = await openDatabase({
    settings: await databaseSettings(driver, prefix),
    applicationName: 'test',
    logger,
  });
  await migrate(db, loadMigrations(MIGRATIONS_DIR), logger);
  return db;
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
