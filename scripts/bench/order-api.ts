// order-api: POST /orders at 50 connections, each request with its own Idempotency-Key
// (post-json.lua), against product-api, both on PostgreSQL, one process each. Every order does the
// whole work before it is answered: record the order, reserve and commit its stock in product-api
// (which prices it), confirm it. Reported: orders/s, p50/p99, order-api RSS idle and peak,
// start-to-ready, and the CPU time each service and the PostgreSQL backends serving them spent per
// order.
// With --compare=<checkout>, another checkout's built services run the same load in the same
// interleaved rounds (each with its own product-api and databases), so a change is measured
// against what came before it on the same machine at the same moment.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  benchDatabase,
  bestOf,
  buildService,
  databaseConfig,
  scratchDir,
  type BenchOptions,
} from './context';
import { httpGet } from './proc';
import { measure, startService, type RunningService, type Row } from './service';

export const POST_JSON_SCRIPT = path.join(__dirname, 'post-json.lua');

// Enough stock that no order of the run is refused.
const STOCK = 10_000_000;
// Distinct request bodies cycled by wrk: one or two items from the whole seed catalog.
const BODIES = 200;

async function stockUp(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('UPDATE products SET stock = $1', [STOCK]);
  } finally {
    await client.end();
  }
}

function orderBodies(productIds: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < BODIES; i++) {
    const a = productIds[i % productIds.length]!;
    const b = productIds[(i * 7 + 3) % productIds.length]!;
    const items =
      i % 2 === 0 || a === b
        ? [{ productId: a, quantity: 1 }]
        : [
            { productId: a, quantity: 1 },
            { productId: b, quantity: 2 },
          ];
    lines.push(JSON.stringify({ customerId: `bench-${i % 50}`, items }));
  }
  return lines.join('\n');
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU time of a process so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** CPU so far of a process that may have exited meanwhile (then it counts as 0 from here on). */
function cpuMsOrZero(pid: number): number {
  try {
    return cpuMs(pid);
  } catch {
    return 0;
  }
}

/** The server processes (backends) connected to these databases now. */
async function backendPids(url: string, databases: string[]): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()',
      [databases],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

async function ordersCreated(base: string): Promise<number> {
  const m = /^orders_created_total ([0-9.e+]+)$/m.exec(await httpGet(`${base}/metrics`));
  if (!m) throw new Error('order-api /metrics has no orders_created_total');
  return Number(m[1]);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

type OrderRow = Row & {
  orderApiCpuMsPerOrder: number;
  productApiCpuMsPerOrder: number;
  postgresCpuMsPerOrder: number;
};

/** One version of the services under load: this checkout, or one given with --compare. */
interface Variant {
  scenario: string;
  checkout?: string;
  orderConfig: Record<string, unknown>;
  orderDb: ReturnType<typeof databaseConfig>;
  /** Both databases' URLs, to find their backends. */
  urls: string[];
  products: RunningService;
  env: Record<string, string>;
}

async function prepare(
  scenario: string,
  dir: string,
  o: { checkout?: string; orderConfig: Record<string, unknown> },
): Promise<Variant> {
  const productsUrl = await benchDatabase('bench_order_products');
  const ordersUrl = await benchDatabase('bench_orders');
  // product-api as a cluster runs it (after its hook Job migrated and seeded): cache 1 s, logs on.
  const productDb = databaseConfig(productsUrl);
  const at = { dir, checkout: o.checkout };
  const first = await startService('product-api', { database: { ...productDb, migrateOnStart: true } }, at);
  await first.stop();
  await stockUp(productsUrl);
  const products = await startService(
    'product-api',
    { database: { ...productDb, migrateOnStart: false } },
    at,
  );
  const page = JSON.parse(await httpGet(`${products.base}/products?limit=100`)) as {
    items: { id: string }[];
  };
  const orderDb = databaseConfig(ordersUrl);
  // Migrate once, as the hook Job would.
  const migrateRun = await startService(
    'order-api',
    { database: { ...orderDb, migrateOnStart: true }, productApi: { url: products.base } },
    at,
  );
  await migrateRun.stop();
  return {
    scenario,
    checkout: o.checkout,
    orderConfig: o.orderConfig,
    orderDb,
    urls: [productsUrl, ordersUrl],
    products,
    env: { BENCH_BODIES: orderBodies(page.items.map((p) => p.id)) },
  };
}

async function measureVariant(v: Variant, dir: string, o: BenchOptions): Promise<OrderRow> {
  const svc = await startService(
    'order-api',
    {
      database: { ...v.orderDb, migrateOnStart: false },
      productApi: { url: v.products.base },
      ...v.orderConfig,
    },
    { dir, checkout: v.checkout },
  );
  try {
    // CPU spent per order by each service, over warm-up and run together (idle time costs none).
    // PostgreSQL: the backends serving the two databases at the end (the pools keep theirs for
    // 30 s), counted from before the run for those that existed then.
    const dbNames = v.urls.map((u) => new URL(u).pathname.slice(1));
    const pgBefore = new Map((await backendPids(v.urls[0]!, dbNames)).map((pid) => [pid, cpuMsOrZero(pid)]));
    const before = {
      orders: await ordersCreated(svc.base),
      o: cpuMs(svc.proc.pid!),
      p: cpuMs(v.products.proc.pid!),
    };
    const row = await measure(v.scenario, svc, { path: '/orders', script: POST_JSON_SCRIPT, env: v.env }, o);
    const orders = (await ordersCreated(svc.base)) - before.orders;
    const after = { o: cpuMs(svc.proc.pid!), p: cpuMs(v.products.proc.pid!) };
    let pgMs = 0;
    for (const pid of await backendPids(v.urls[0]!, dbNames))
      pgMs += cpuMsOrZero(pid) - (pgBefore.get(pid) ?? 0);
    const cpu = {
      orderApiCpuMsPerOrder: round2((after.o - before.o) / orders),
      productApiCpuMsPerOrder: round2((after.p - before.p) / orders),
      postgresCpuMsPerOrder: round2(pgMs / orders),
    };
    console.log(JSON.stringify(cpu));
    return { ...row, ...cpu };
  } finally {
    await svc.stop();
  }
}

export async function benchOrderApi(o: BenchOptions): Promise<Row[]> {
  buildService('product-api');
  buildService('order-api');
  const dir = scratchDir('order-api');
  const rows: OrderRow[] = [];
  const variants: Variant[] = [];
  try {
    variants.push(await prepare('order-api: POST /orders', dir, { orderConfig: {} }));
    for (const c of o.compare ?? []) {
      variants.push(
        await prepare(`order-api: POST /orders (checkout ${c.checkout})`, dir, {
          checkout: c.checkout,
          orderConfig: c.config,
        }),
      );
    }
    for (let round = 0; round < o.rounds; round++) {
      for (const v of variants) rows.push(await measureVariant(v, dir, o));
    }
  } finally {
    for (const v of variants) await v.products.stop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // A round whose orders partly failed (503s or wrk timeouts on an overloaded machine) is not a
  // throughput figure: the best round is picked among the clean ones of each scenario, if any.
  const clean = rows.filter((r) => r.errors === 0);
  const scenariosWithClean = new Set(clean.map((r) => r.scenario));
  return bestOf([...clean, ...rows.filter((r) => r.errors > 0 && !scenariosWithClean.has(r.scenario))]);
}
