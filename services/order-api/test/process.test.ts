// order-api as a real child process: start-up refusal, SIGTERM while orders are in flight,
// migrate.js run twice at once.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, freePort } from '../../../scripts/src/testing/postgres';
import { startEntrypoint } from '../../../scripts/src/testing/service-process';
import {
  newKey,
  postgresSettings,
  RESERVATIONS_TOKEN,
  startProductApi,
  type RunningProductApi,
} from './helpers';
import { FaultProxy } from './proxy';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-oa-proc-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  port: number,
  method: string,
  p: string,
  o: { body?: unknown; headers?: Record<string, string>; agent?: http.Agent } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: p,
        method,
        agent: o.agent,
        headers: { 'content-type': 'application/json', ...o.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
  });
}

describe('order-api process', () => {
  test('invalid config stops start-up with exit 1 and a message listing each bad path', async () => {
    const c = startEntrypoint({
      service: 'order-api',
      entry: 'main',
      dir,
      config: {
        server: { port: 0 },
        productApi: {
          url: 'localhost:5000',
          timeoutMs: 5,
          retries: { maxAttempts: 0 },
          breaker: { failureRatio: 0 },
        },
        orders: { pendingTimeoutSeconds: 1, refunds: true },
        database: { driver: 'postgres' },
      },
    });
    const { code } = await c.exit;
    expect(code).toBe(1);
    const err = c.stderr.join('');
    expect(err).toMatch(/^order-api: invalid config in \/.*\.json:\n/);
    for (const line of [
      '  - server.port: must be >= 1',
      '  - productApi.url: must match pattern "^https?://.+"',
      '  - productApi.timeoutMs: must be >= 10',
      '  - productApi.retries.maxAttempts: must be >= 1',
      '  - productApi.breaker.failureRatio: must be > 0',
      '  - orders.pendingTimeoutSeconds: must be >= 5',
      '  - orders.refunds: is not an allowed key',
      '  - database.host: is required',
    ]) {
      expect(err).toContain(line);
    }
    expect(err).not.toMatch(/\n\s+at /);
  }, 30_000);

  test('a product-api URL that passes the schema but is no URL stops start-up naming it', async () => {
    const c = startEntrypoint({
      service: 'order-api',
      entry: 'main',
      dir,
      config: { server: { port: await freePort() }, productApi: { url: 'http://product api:5000' } },
    });
    expect((await c.exit).code).toBe(1);
    expect(c.stderr.join('')).toBe(
      'upstream product-api: url "http://product api:5000" is not a valid URL\n',
    );
  }, 30_000);

  describe('SIGTERM during in-flight orders', () => {
    let products: RunningProductApi;
    let proxy: FaultProxy;
    beforeAll(async () => {
      products = await startProductApi();
      proxy = new FaultProxy(products.url);
    }, 60_000);
    afterAll(async () => {
      await proxy.close();
      await products.close();
    });

    test('readiness fails first, every order in flight completes (201), the process exits 0', async () => {
      const item = await products.product('DRAIN', { stock: 100 });
      const productApiUrl = await proxy.start();
      // Each reservation takes 1.5 s: the orders are still in flight when SIGTERM arrives.
      proxy.rule = (r) =>
        r.path.startsWith('/reservations/') ? { kind: 'late', ms: 1500 } : { kind: 'pass' };
      const port = await freePort();
      const c = startEntrypoint({
        service: 'order-api',
        entry: 'main',
        dir,
        config: {
          server: { port, drainDelaySeconds: 1, shutdownTimeoutSeconds: 15 },
          database: postgresSettings(await createTestDatabase('oa_sigterm')),
          productApi: { url: productApiUrl, timeoutMs: 5000, totalTimeoutMs: 10000 },
        },
        env: { RESERVATIONS_TOKEN },
      });
      try {
        await c.waitForLog('order-api ready');
        const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
        const inFlight = Array.from({ length: 20 }, () =>
          send(port, 'POST', '/orders', {
            agent,
            headers: { 'idempotency-key': newKey() },
            body: { customerId: 'cust-drain', items: [{ productId: item.id, quantity: 1 }] },
          }),
        );
        await new Promise((r) => setTimeout(r, 400));
        const signalledAt = Date.now();
        c.proc.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        const ready = await send(port, 'GET', '/readyz');
        expect(ready.status).toBe(503);

        const answers = await Promise.all(inFlight);
        expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
        expect(answers.every((a) => a.headers.connection === 'close')).toBe(true);
        const { code } = await c.exit;
        expect(code).toBe(0);
        expect(Date.now() - signalledAt).toBeLessThan(10_000);
        expect(c.logs().find((l) => l.msg === 'shutdown: done')).toMatchObject({ clean: true });
        // Every one of them is an order with its stock held.
        expect(await products.stockOf(item.id)).toBe(80);
        for (const a of answers) {
          expect(await products.reservation(JSON.parse(a.body).id)).toMatchObject({ status: 'committed' });
        }
        agent.destroy();
      } finally {
        c.proc.kill('SIGKILL');
      }
    }, 90_000);
  });

  test('migrate.js run twice at once exits 0 both times and applies each migration once', async () => {
    const url = await createTestDatabase('oa_migrate');
    const config = { server: { port: 7000 }, database: postgresSettings(url) };
    const runs = [0, 1].map(() => startEntrypoint({ service: 'order-api', entry: 'migrate', dir, config }));
    expect((await Promise.all(runs.map((r) => r.exit))).map((e) => e.code)).toEqual([0, 0]);
    const applied = runs.flatMap(
      (r) => (r.logs().find((l) => l.msg === 'migrations done')?.applied as string[]) ?? [],
    );
    expect(applied.sort()).toEqual(['001_orders.sql', '002_priced_by_reservation.sql']);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
      const { rows: tables } = await client.query("SELECT to_regclass('orders') AS t");
      expect(tables[0].t).toBe('orders');
    } finally {
      await client.end();
    }
  }, 60_000);
});
