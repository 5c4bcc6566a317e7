// product-api as a real child process: start-up refusal, graceful SIGTERM, migrate.js.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, freePort } from '../../../scripts/src/testing/postgres';
import { startEntrypoint } from '../../../scripts/src/testing/service-process';
import { ADMIN_TOKEN, postgresSettings } from './helpers';

const MIGRATIONS = [
  '001_products.sql',
  '002_reservations.sql',
  '003_reservation_expiry.sql',
  '004_reservation_prices.sql',
  '005_reserve_function.sql',
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-pa-proc-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The TypeScript entrypoint under tsx (runtime from source), config written to a file in tmp.
const run = (entry: 'main' | 'migrate', config: unknown, env: Record<string, string> = {}) =>
  startEntrypoint({ service: 'product-api', entry, config, dir: tmp, env });

function get(port: number, p: string, agent?: http.Agent, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: p, agent, headers }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
    },
  );
}

function put(port: number, p: string, body: unknown, headers: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: p,
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('product-api process', () => {
  test('invalid config stops start-up with exit 1 and a message listing each bad path', async () => {
    const c = run('main', {
      server: { port: 0, shutdownTimeoutSeconds: 'soon' },
      database: { driver: 'postgres' },
      cache: {},
    });
    const { code } = await c.exit;
    expect(code).toBe(1);
    const err = c.stderr.join('');
    expect(err).toMatch(/^product-api: invalid config in \/.*config-product-api-[a-z0-9]+\.json:\n/);
    for (const line of [
      '  - cache: is not an allowed key',
      '  - server.port: must be >= 1',
      '  - server.shutdownTimeoutSeconds: must be integer',
      '  - database.host: is required',
      '  - database.name: is required',
      '  - database.user: is required',
    ]) {
      expect(err).toContain(line);
    }
    expect(err).not.toMatch(/\n\s+at /); // a message for people, not a stack trace
  }, 30_000);

  test('an unreachable database stops start-up with exit 1 naming the cause', async () => {
    const port = await freePort();
    const c = run('main', {
      server: { port: 5000 },
      database: { driver: 'postgres', host: '127.0.0.1', port, name: 'x', user: 'x', connectTimeoutMs: 1000 },
    });
    const { code } = await c.exit;
    expect(code).toBe(1);
    expect(c.stderr.join('')).toMatch(/^product-api: start-up failed: .*ECONNREFUSED/);
  }, 30_000);

  test('SIGTERM during in-flight requests: readiness fails first, no request is lost, exit 0', async () => {
    const database = postgresSettings(await createTestDatabase('pa_sigterm'));
    const port = await freePort();
    const c = run(
      'main',
      {
        server: { port, drainDelaySeconds: 2, shutdownTimeoutSeconds: 10 },
        database,
        faults: { enabled: true },
        catalog: { cacheTtlMs: 0 },
      },
      { ADMIN_TOKEN },
    );
    try {
      await c.waitForLog('product-api ready');
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
      // Every product request now takes 3 s: they are still running when the listener closes.
      expect(await put(port, '/admin/faults', { errorRatio: 0, latencyMs: 3000 }, auth)).toBe(200);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 25 });
      const inFlight = Array.from({ length: 25 }, (_, i) =>
        get(port, `/products?limit=${1 + (i % 5)}`, agent),
      );
      await new Promise((r) => setTimeout(r, 300));
      const signalledAt = Date.now();
      c.proc.kill('SIGTERM');
      // During the drain delay the listener still answers, and readiness fails.
      let ready = await get(port, '/readyz');
      while (ready.status === 200 && Date.now() - signalledAt < 1500) {
        await new Promise((r) => setTimeout(r, 50));
        ready = await get(port, '/readyz');
      }
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body).checks).toEqual({ shutdown: 'draining' });

      const results = await Promise.all(inFlight);
      expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
      for (const r of results) expect(JSON.parse(r.body).items.length).toBeGreaterThan(0);
      // Answered after the listener closed, so each tells its keep-alive connection to close.
      expect(results.every((r) => r.headers.connection === 'close')).toBe(true);

      const { code } = await c.exit;
      expect(code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(8000);
      await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
      const done = c.logs().find((l) => l.msg === 'shutdown: done');
      expect(done).toMatchObject({ clean: true });
      agent.destroy();
    } finally {
      c.proc.kill('SIGKILL');
    }
  }, 60_000);

  test('migrate.js run twice at once exits 0 both times and applies each migration once', async () => {
    const url = await createTestDatabase('pa_migrate');
    const config = { server: { port: 5000 }, database: postgresSettings(url) };
    const [a, b] = [run('migrate', config), run('migrate', config)];
    const exits = await Promise.all([a.exit, b.exit]);
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    const reports = [a, b].map((c) => c.logs().find((l) => l.msg === 'migrations done'));
    const applied = reports.flatMap((r) => r?.applied as string[]).sort();
    expect(applied).toEqual(MIGRATIONS);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await client.end();
    }
    const again = run('migrate', config);
    expect((await again.exit).code).toBe(0);
    expect(again.logs().find((l) => l.msg === 'migrations done')).toMatchObject({
      applied: [],
      alreadyApplied: MIGRATIONS,
    });
  }, 60_000);
});
