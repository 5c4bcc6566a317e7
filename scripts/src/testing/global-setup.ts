// Starts what many test projects share: one throwaway PostgreSQL server (unless TEST_DATABASE_URL
// points at one). Each test suite creates its own database on it, so suites never see each other.
import { startPostgres, type RunningPostgres } from './postgres';

declare global {
  var __TC_PG__: RunningPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const pg = await startPostgres();
  globalThis.__TC_PG__ = pg;
  process.env.TEST_DATABASE_URL = pg.url;
}
