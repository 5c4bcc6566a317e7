// What every benchmark needs: paths, a PostgreSQL server, free ports, built services.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, freePort, startPostgres, type RunningPostgres } from '../src/testing/postgres';

export const root = path.resolve(__dirname, '../..');
export const reportsDir = path.join(root, '.reports');
export { freePort };

export interface BenchOptions {
  durationSec: number;
  connections: number;
  rounds: number;
}

/** Per scenario, the round with the most requests per second. */
export function bestOf<R extends { scenario: string; requestsPerSec: number }>(rows: R[]): R[] {
  const best = new Map<string, R>();
  for (const r of rows) {
    const b = best.get(r.scenario);
    if (!b || r.requestsPerSec > b.requestsPerSec) best.set(r.scenario, r);
  }
  return [...best.values()];
}

let server: RunningPostgres | undefined;

/** A fresh database on BENCH_DATABASE_URL / TEST_DATABASE_URL, or on a throwaway server. */
export async function benchDatabase(prefix: string): Promise<string> {
  const existing = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!existing && !server) {
    server = await startPostgres();
    process.env.TEST_DATABASE_URL = server.url;
  } else if (existing) {
    process.env.TEST_DATABASE_URL = existing;
  }
  return createTestDatabase(prefix);
}

export function stopBenchDatabase(): void {
  server?.stop();
  server = undefined;
}

export function buildService(name: string): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', `services/${name}`], {
    cwd: root,
    stdio: 'inherit',
  });
}

export function scratchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tc-bench-${name}-`));
}

export function databaseConfig(url: string) {
  const u = new URL(url);
  return {
    driver: 'postgres',
    host: u.hostname,
    port: Number(u.port || 5432),
    name: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
  };
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
