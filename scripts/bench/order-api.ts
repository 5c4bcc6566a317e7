// order-api: POST /orders at 50 connections, each request with its own Idempotency-Key
// (post-json.lua), against product-api on PostgreSQL. The harness (startService, measure,
// post-json.lua) is ready; the scenario lands with order-api, which fixes its config shape.
import fs from 'node:fs';
import path from 'node:path';
import { root, type BenchOptions } from './context';
import type { Row } from './service';

export const POST_JSON_SCRIPT = path.join(__dirname, 'post-json.lua');

export async function benchOrderApi(_o: BenchOptions): Promise<Row[]> {
  if (!fs.existsSync(path.join(root, 'services/order-api/package.json'))) {
    throw new Error('order-api has not landed yet (services/order-api/package.json is missing)');
  }
  // To write with order-api: buildService('product-api') and ('order-api'); startService both
  // (order-api's config pointing at product-api's base URL); pick product ids from GET /products;
  //   measure('order-api: POST /orders', orderApi,
  //     { path: '/orders', script: POST_JSON_SCRIPT, env: { BENCH_BODY: JSON.stringify(order) } }, o)
  // Targets: ≥ 800 orders/s, p99 < 60 ms, RSS under load < 128 MiB, ready < 1.5 s.
  throw new Error(
    'the order-api scenario is written together with order-api: see scripts/bench/order-api.ts',
  );
}
