// `npx tsx scripts/bench/frontend.ts [--users=20] [--duration=20]`: time to first byte of the
// storefront's listing page with N shoppers browsing at once, each loading listing pages back to
// back (all products, a category, a search). The whole shop runs as `npm start` runs it (three
// processes, embedded PGlite, demo catalog) on free ports, so a page is one storefront request
// plus its product-api calls. First byte = the response headers arrived (node:http 'response').
// Writes .reports/bench-frontend.json.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildServices } from '../src/start/build';
import { repoRoot, Stack } from '../src/start/stack';

const PAGES = [
  '/products',
  '/products?category=audio',
  '/products?q=laptop',
  '/products?category=phones',
  '/products?q=usb',
];

function option(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  const n = a ? Number(a.split('=')[1]) : fallback;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** One page load: ms to the first byte (headers) and to the last byte. */
function load(
  agent: http.Agent,
  port: number,
  p: string,
): Promise<{ ttfb: number; total: number; status: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(
      { host: '127.0.0.1', port, path: p, agent, headers: { 'accept-encoding': 'gzip' } },
      (res) => {
        const ttfb = performance.now() - t0;
        res.resume();
        res.on('end', () => resolve({ ttfb, total: performance.now() - t0, status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
  });
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const users = option('users', 20);
  const durationSec = option('duration', 20);
  const build = buildServices(['product-api', 'order-api', 'frontend']);
  if (!build.ok) throw new Error(`build failed:\n${build.output}`);
  const stack = new Stack({
    ports: { 'product-api': await freePort(), 'order-api': await freePort(), frontend: await freePort() },
    out: () => undefined,
  });
  stack.start();
  try {
    await stack.ready(180_000);
    const port = stack.ports.frontend;
    // Each shopper has a keep-alive connection, as a browser would.
    const agent = new http.Agent({ keepAlive: true, maxSockets: users });
    for (const p of PAGES) await load(agent, port, p); // warm caches and connections
    const ttfb: number[] = [];
    const total: number[] = [];
    let errors = 0;
    const loadBefore = os.loadavg()[0]!;
    const end = performance.now() + durationSec * 1000;
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        for (let i = u; performance.now() < end; i++) {
          const r = await load(agent, port, PAGES[i % PAGES.length]!);
          if (r.status !== 200) errors++;
          ttfb.push(r.ttfb);
          total.push(r.total);
        }
      }),
    );
    agent.destroy();
    ttfb.sort((a, b) => a - b);
    total.sort((a, b) => a - b);
    const report = {
      when: new Date().toISOString(),
      users,
      durationSec,
      cores: os.cpus().length,
      loadAverage: { before: round(loadBefore), after: round(os.loadavg()[0]!) },
      pages: ttfb.length,
      pagesPerSecond: round(ttfb.length / durationSec),
      errors,
      ttfbMs: {
        p50: round(pct(ttfb, 50)),
        p90: round(pct(ttfb, 90)),
        p99: round(pct(ttfb, 99)),
        max: round(ttfb.at(-1)!),
      },
      fullPageMs: { p50: round(pct(total, 50)), p99: round(pct(total, 99)) },
    };
    console.log(`storefront listing page, ${users} concurrent shoppers, ${durationSec} s:`);
    console.table({ ttfb: report.ttfbMs, full: report.fullPageMs });
    console.log(
      `${report.pages} pages (${report.pagesPerSecond}/s), ${errors} non-200; load ${report.loadAverage.before} -> ${report.loadAverage.after}`,
    );
    const file = path.join(repoRoot, '.reports', 'bench-frontend.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`written: ${path.relative(process.cwd(), file)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err: Error) => {
  console.error(`bench frontend: ${err.message}`);
  process.exitCode = 1;
});
