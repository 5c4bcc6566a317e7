// Generic: run a built service (services/<name>/dist/main.js) with a config file, load one
// endpoint with wrk, and report throughput, latency, memory and start-to-ready.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, root, round1, type BenchOptions } from './context';
import { rssMiB, sampleRss, startProcess, type Started } from './proc';
import { runWrk, type WrkResult } from './wrk';

export interface Row {
  scenario: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rssIdleMiB?: number;
  rssPeakMiB?: number;
  readyMs?: number;
}

export const toRow = (scenario: string, w: WrkResult, extra: Partial<Row> = {}): Row => ({
  scenario,
  requestsPerSec: w.requestsPerSec,
  p50Ms: round1(w.latencyMs.p50),
  p99Ms: round1(w.latencyMs.p99),
  errors: w.non2xx + w.socketErrors,
  ...extra,
});

export type RunningService = Started & { base: string };

export async function startService(
  name: string,
  config: Record<string, unknown>,
  /** checkout: another copy of the repository with built services (default: this one). */
  o: { dir: string; env?: Record<string, string>; checkout?: string },
): Promise<RunningService> {
  const port = await freePort();
  const file = path.join(o.dir, `${name}-${port}.json`);
  const server = (config.server as Record<string, unknown> | undefined) ?? {};
  fs.writeFileSync(file, JSON.stringify({ ...config, server: { drainDelaySeconds: 0, ...server, port } }));
  const started = await startProcess({
    command: process.execPath,
    args: ['dist/main.js'],
    cwd: path.join(o.checkout ?? root, 'services', name),
    env: { NODE_ENV: 'production', CONFIG_FILE: file, PATH: process.env.PATH ?? '', ...o.env },
    readyUrl: `http://127.0.0.1:${port}/readyz`,
    logFile: path.join(o.dir, `${name}.log`),
  });
  return { ...started, base: `http://127.0.0.1:${port}` };
}

/** Warm up, then load `target` (a path on the service) while sampling the service's RSS. */
export async function measure(
  scenario: string,
  svc: RunningService,
  target: { path: string; script?: string; env?: Record<string, string> },
  o: BenchOptions,
): Promise<Row> {
  await new Promise((r) => setTimeout(r, 1000));
  const rssIdleMiB = rssMiB(svc.proc.pid!);
  const load = {
    url: `${svc.base}${target.path}`,
    connections: o.connections,
    script: target.script,
    env: target.env,
  };
  await runWrk({ ...load, durationSec: 3 }); // warm-up: JIT, connection pool, cache
  const peak = sampleRss(svc.proc.pid!);
  const w = await runWrk({ ...load, durationSec: o.durationSec });
  const row = toRow(scenario, w, { rssIdleMiB, rssPeakMiB: peak(), readyMs: svc.readyMs });
  console.log(JSON.stringify(row));
  return row;
}
