// What a database-backed service needs at start-up and in its migrate.js entrypoint.
import type { Logger } from 'pino';
import { loadConfig, readSecret, type Env } from '../config';
import { createLogger } from '../logger';
import { exitOnStartupError } from '../service';
import type { DatabaseSettings, LogSettings } from '../settings';
import { loadMigrations, migrate } from './migrate';
import { openDatabase } from './open';
import type { Db } from './types';

export interface ServiceDatabaseOptions {
  service: string;
  settings: DatabaseSettings;
  env: Env;
  logger: Logger;
  migrationsDir: string;
}

/** Opens the configured database and, when database.migrateOnStart, applies pending migrations. */
export async function openServiceDatabase(o: ServiceDatabaseOptions): Promise<Db> {
  const db = await openDatabase({
    settings: o.settings,
    password: readSecret('DATABASE_PASSWORD', o.env),
    applicationName: o.service,
    logger: o.logger,
  });
  try {
    if (o.settings.migrateOnStart ?? true) {
      const report = await migrate(db, loadMigrations(o.migrationsDir), o.logger);
      o.logger.info(
        { applied: report.applied.length, alreadyApplied: report.alreadyApplied.length },
        'migrations checked',
      );
    }
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface MigrateCommandOptions {
  name: string;
  configSchema: object;
  migrationsDir: string;
  env?: Env;
}

/** The body of a service's migrate.js: apply pending migrations, exit 0; any failure exits 1. */
export async function runMigrateCommand(o: MigrateCommandOptions): Promise<void> {
  const env = o.env ?? process.env;
  let logger: Logger | undefined;
  try {
    const config = loadConfig<{ database?: DatabaseSettings; log?: LogSettings }>({
      service: o.name,
      schema: o.configSchema,
      env,
    });
    logger = createLogger({ service: `${o.name}-migrate`, settings: config.log });
    const db = await openDatabase({
      settings: config.database ?? {},
      password: readSecret('DATABASE_PASSWORD', env),
      applicationName: `${o.name}-migrate`,
      logger,
    });
    try {
      const report = await migrate(db, loadMigrations(o.migrationsDir), logger);
      logger.info(report, 'migrations done');
    } finally {
      await db.close();
    }
    logger.flush();
  } catch (err) {
    logger?.flush();
    exitOnStartupError(`${o.name} migrate`, err);
  }
}

export { loadMigrations, migrate, type Migration, type MigrationReport } from './migrate';
export { openDatabase, type OpenDatabaseOptions } from './open';
export { statement } from './statement';
export {
  PgCode,
  isDatabaseUnavailable,
  isDataException,
  pgErrorCode,
  type Db,
  type Queryable,
  type QueryResult,
  type Statement,
} from './types';
