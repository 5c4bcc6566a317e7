// product-api on PostgreSQL, one process: GET /products?limit=20 at 50 connections (cache on,
// cache off, request logging off), RSS idle and under load, start-to-ready; and a bare node:http
// server returning the same JSON as the ceiling.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  benchDatabase,
  bestOf,
  buildService,
  databaseConfig,
  freePort,
  scratchDir,
  type BenchOptions,
} from './context';
import { httpGet, sampleRss, startProcess } from './proc';
import { measure, startService, toRow, type Row } from './service';
import { runWrk } from './wrk';

const CATALOG_SIZE = 1000; // rows, as in the reference numbers

async function fillCatalog(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM products');
    const missing = CATALOG_SIZE - rows[0]!.n;
    if (missing <= 0) return;
    const categories = [
      'laptops',
      'phones',
      'audio',
      'monitors',
      'accessories',
      'storage',
      'networking',
      'gaming',
    ];
    await client.query(
      `INSERT INTO products (id, sku, name, description, category, price_minor, currency, stock)
       SELECT gen_random_uuid(), 'BENCH-' || i, 'Bench product ' || i, 'Generated for the benchmark, item ' || i,
              ($1::text[])[1 + i % 8], 1000 + (i * 37) % 200000, 'EUR', 100 + i % 50
       FROM generate_series(1, $2::integer) AS i`,
      [categories, missing],
    );
  } finally {
    await client.end();
  }
}

export async function benchProductApi(o: BenchOptions): Promise<Row[]> {
  buildService('product-api');
  const url = await benchDatabase('bench_products');
  const dir = scratchDir('product-api');
  const database = { ...databaseConfig(url), migrateOnStart: false };
  const rows: Row[] = [];
  const list = { path: '/products?limit=20' };

  // Migrate and seed once (as the hook Job and a first start would), then top up to 1,000 rows.
  const first = await startService(
    'product-api',
    { database: { ...database, migrateOnStart: true } },
    { dir },
  );
  const sample = await httpGet(`${first.base}${list.path}`);
  await first.stop();
  await fillCatalog(url);

  const scenarios: [string, Record<string, unknown>][] = [
    ['product-api: cache 1 s, request logs on', { database }],
    ['product-api: cache 1 s, request logs off', { database, log: { requests: false } }],
    ['product-api: cache off (a query per request), logs on', { database, catalog: { cacheTtlMs: 0 } }],
  ];

  // The ceiling: bare node:http returning the same body, nothing else. Measured in every round,
  // right after the service, so both see the same machine.
  const port = await freePort();
  const bodyFile = path.join(dir, 'body.json');
  fs.writeFileSync(bodyFile, sample);
  const ceiling = await startProcess({
    command: process.execPath,
    args: [
      '-e',
      `const b=require('fs').readFileSync(${JSON.stringify(bodyFile)});` +
        `require('http').createServer((q,s)=>{s.writeHead(200,{'content-type':'application/json','content-length':b.length});s.end(b)}).listen(${port})`,
    ],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    readyUrl: `http://127.0.0.1:${port}/`,
    logFile: path.join(dir, 'ceiling.log'),
  });
  try {
    const target = { url: `http://127.0.0.1:${port}/`, connections: o.connections };
    await runWrk({ ...target, durationSec: 3 });
    for (let round = 0; round < o.rounds; round++) {
      for (const [name, config] of scenarios) {
        const svc = await startService('product-api', config, { dir });
        try {
          rows.push(await measure(name, svc, list, o));
        } finally {
          await svc.stop();
        }
      }
      const peak = sampleRss(ceiling.proc.pid!);
      const w = await runWrk({ ...target, durationSec: o.durationSec });
      const row = toRow('bare node:http, same JSON (ceiling)', w, {
        rssPeakMiB: peak(),
        readyMs: ceiling.readyMs,
      });
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  } finally {
    await ceiling.stop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return bestOf(rows);
}
