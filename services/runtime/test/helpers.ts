// Test helpers: a log sink that keeps the JSON lines, and a minimal config schema.
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger, loadMigrations, migrate, openDatabase, type Db } from '../src';
import { createTestDatabase } from '../../../scripts/src/testing/postgres';

export class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) this.lines.push(JSON.parse(l));
    done();
  }
}

/** Mirrors a service schema built from schemas/defs (server + log). */
export const testSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      default: { port: 0 },
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        bodyLimit: { type: 'string', default: '1kb' },
        shutdownTimeoutSeconds: { type: 'integer', default: 5 },
        drainDelaySeconds: { type: 'integer', default: 0 },
        readinessTimeoutMs: { type: 'integer', default: 200 },
      },
      required: ['port'],
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['debug', 'info', 'warn'], default: 'info' },
        requests: { type: 'boolean', default: true },
      },
    },
  },
  required: ['server'],
};

/** Database settings for a postgres:// URL from the test harness (trust auth: no password). */
export function postgresSettings(url: string) {
  const u = new URL(url);
  return {
    driver: 'postgres' as const,
    host: u.hostname,
    port: Number(u.port || 5432),
    name: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
    poolMax: 10,
  };
}

/** The two database drivers every API store suite runs against. */
export type Driver = 'postgres' | 'pglite';
export const DRIVERS: Driver[] = ['postgres', 'pglite'];

/** Settings for a fresh database on `driver`: its own database on the test server, or in-memory PGlite. */
export async function databaseSettings(driver: Driver, prefix: string) {
  return driver === 'postgres'
    ? postgresSettings(await createTestDatabase(prefix))
    : { driver: 'pglite' as const };
}

/** A fresh database on `driver` with a service's migrations applied. */
export async function openMigrated(
  migrationsDir: string,
  driver: Driver,
  prefix: string,
  logger: Logger = createLogger({ service: 'test', destination: new LogSink() }),
): Promise<Db> {
  const db = await openDatabase({
    settings: await databaseSettings(driver, prefix),
    applicationName: 'test',
    logger,
  });
  await migrate(db, loadMigrations(migrationsDir), logger);
  return db;
}
