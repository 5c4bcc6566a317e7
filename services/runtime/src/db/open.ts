import type { Logger } from 'pino';
import type { DatabaseSettings } from '../settings';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Db } from './types';

export interface OpenDatabaseOptions {
  settings: DatabaseSettings;
  /** From the DATABASE_PASSWORD secret; unused by pglite. */
  password?: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  logger: Logger;
}

export async function openDatabase(o: OpenDatabaseOptions): Promise<Db> {
  const driver = o.settings.driver ?? 'pglite';
  if (driver === 'pglite') return openPglite(o.settings);
  return openPostgres(o);
}
