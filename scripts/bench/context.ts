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
  /**
   * Other checkouts of the repository (services built) to measure in the same interleaved rounds,
   * so a change is compared with what came before it on the same machine at the same load.
   * Only suites that say so use it (order-api).
   */
  compare?: CompareCheckout[];
}

export interface CompareCheckout {
  checkout: string;
  /** Merged into the service's config there (its schema may differ from this checkout's). */
  config: Record<string, unknown>;
}

/**
 * Per scenario, the round with the most requests per second, plus the median p99 over all rounds
 * (a busy machine spoils single p99 readings far more than throughput).
 */
export function bestOf<R extends { scenario: string; requestsPerSec: number; p99Ms: number }>(
  rows: R[],
): (R & { p99MedianMs: number; rounds: number })[] {
  const byScenario = new Map<string, R[]>();
  for (const r of rows) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  return [...byScenario.values()].map((runs) => {
    const best = runs.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a));
    const p99s = runs.map((r) => r.p99Ms).sort((a, b) => a - b);
    const mid = Math.floor(p99s.length / 2);
    const median = p99s.length % 2 ? p99s[mid]! : (p99s[mid - 1]! + p99s[mid]!) / 2;
    return { ...best, p99MedianMs: round1(median), rounds: runs.length };
  });
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
