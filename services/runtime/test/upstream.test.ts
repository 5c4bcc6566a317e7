// The upstream client against a real HTTP server on loopback that each test scripts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigError,
  createLogger,
  createRegistry,
  UpstreamClient,
  upstreamOutageError,
  UpstreamRejected,
  UpstreamTimeout,
  UpstreamUnavailable,
  type Registry,
  type UpstreamSettings,
} from '@techcommerce/runtime';
import { freePort } from '../../../scripts/src/testing/postgres';
import { LogSink } from './helpers';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Script = (req: Seen, res: http.ServerResponse, n: number) => void;

const json = (res: http.ServerResponse, status: number, body: unknown, type = 'application/json') => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

let server: http.Server;
let base: string;
let script: Script;
let seen: Seen[];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    // Counted on arrival: a client that gives up early must still be seen to have sent.
    const s = { method: req.method!, url: req.url!, headers: req.headers, body: '' };
    seen.push(s);
    const n = seen.length;
    req.on('data', (d: Buffer) => (s.body += d.toString()));
    req.on('end', () => script(s, res, n));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const clients: UpstreamClient[] = [];
beforeEach(() => {
  seen = [];
  script = (_q, res) => json(res, 200, { ok: true });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function client(settings: Partial<UpstreamSettings> = {}, registry?: Registry, random = () => 0) {
  const c = new UpstreamClient({
    name: 'stub',
    settings: { url: base, timeoutMs: 500, totalTimeoutMs: 2000, ...settings },
    registry,
    random,
    logger: createLogger({ service: 'test', destination: new LogSink() }),
  });
  clients.push(c);
  return c;
}

describe('upstream client', () => {
  test('GET: parsed JSON, the request id forwarded, query and base path kept', async () => {
    script = (q, res) => json(res, 200, { url: q.url });
    const c = client({ url: `${base}/api/` });
    const res = await c.get<{ url: string }>('/products/a%2Fb', {
      query: { limit: 2, q: 'a b', skip: undefined },
      context: { requestId: 'req-123' },
    });
    expect(res).toMatchObject({
      status: 200,
      body: { url: '/api/products/a%2Fb?limit=2&q=a+b' },
      attempts: 1,
    });
    expect(seen[0]!.headers['x-request-id']).toBe('req-123');
    expect(seen[0]!.headers.accept).toBe('application/json, application/problem+json');
  });

  test('a 4xx is UpstreamRejected with the status and problem; never retried; the breaker stays closed', async () => {
    const problem = {
      type: 'urn:x:insufficient-stock',
      title: 'Insufficient stock',
      status: 409,
      shortages: [1],
    };
    script = (_q, res) => json(res, 409, problem, 'application/problem+json');
    const c = client({ breaker: { failureThreshold: 1 } });
    const err = await c.put('/reservations/r1', { body: { items: [] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejected);
    expect(err).toMatchObject({
      status: 409,
      problem,
      upstream: 'stub',
      method: 'PUT',
      path: '/reservations/r1',
    });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]!.body)).toEqual({ items: [] });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(c.breaker.state).toBe('closed');
  });

  test('GET retries a 503 with backoff and succeeds; attempts are counted', async () => {
    script = (_q, res, n) => (n < 3 ? json(res, 503, { status: 503, title: 'busy' }) : json(res, 200, 'ok'));
    const c = client({ retries: { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 1000 } }, undefined, () => 1);
    const t0 = Date.now();
    const res = await c.get('/x');
    expect(res).toMatchObject({ status: 200, body: 'ok', attempts: 3 });
    // random() = 1: the full exponential delays, 40 then 80 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
  });

  test('full jitter: each delay is random() times the capped exponential', async () => {
    script = (_q, res) => json(res, 503, {});
    const draws = [0.5, 0.5, 0.5];
    const c = client({ retries: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 150 } }, undefined, () =>
      draws.shift()!,
    );
    const t0 = Date.now();
    await expect(c.get('/x')).rejects.toMatchObject({ reason: 'status', status: 503, attempts: 4 });
    const took = Date.now() - t0;
    // 0.5 * 100 + 0.5 * 150 (capped from 200) + 0.5 * 150 (capped from 400) = 200 ms
    expect(took).toBeGreaterThanOrEqual(195);
    expect(took).toBeLessThan(1000);
    expect(draws).toEqual([]);
  });

  test('POST is not retried unless it carries an Idempotency-Key (or is marked idempotent)', async () => {
    script = (_q, res) => json(res, 500, { status: 500, title: 'boom' });
    const c = client({ retries: { maxAttempts: 3, baseDelayMs: 1 }, breaker: { failureThreshold: 100 } });
    const plain = await c.post('/orders', { body: {} }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(UpstreamUnavailable);
    expect(plain).toMatchObject({ reason: 'status', status: 500, attempts: 1, problem: { title: 'boom' } });
    expect(seen).toHaveLength(1);

    seen = [];
    await expect(c.post('/orders', { body: {}, idempotencyKey: 'k-1' })).rejects.toMatchObject({
      attempts: 3,
    });
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['k-1', 'k-1', 'k-1']);

    seen = [];
    await expect(c.post('/reservations/1/commit', { idempotent: true })).rejects.toMatchObject({
      attempts: 3,
    });
    expect(seen).toHaveLength(3);
  });

  test('a server that does not answer: UpstreamTimeout per attempt, GET retried, the whole call within totalTimeoutMs', async () => {
    script = () => undefined; // never answers
    const c = client({ timeoutMs: 150, totalTimeoutMs: 400, retries: { maxAttempts: 5, baseDelayMs: 1 } });
    const t0 = Date.now();
    const err = await c.get('/slow').catch((e: unknown) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(UpstreamTimeout);
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(700);
    // 150 + 150 + the 100 ms left (on a busy machine the last attempt may not get through)
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(3);
    expect((err as UpstreamTimeout).timeoutMs).toBeLessThanOrEqual(150);
  });

  test('a POST that times out is not repeated: it may have been applied', async () => {
    script = () => undefined;
    const c = client({ timeoutMs: 300, retries: { maxAttempts: 3, baseDelayMs: 1 } });
    await expect(c.post('/orders', { body: {} })).rejects.toBeInstanceOf(UpstreamTimeout);
    await new Promise((r) => setTimeout(r, 200)); // a retry, had there been one, would have arrived
    expect(seen).toHaveLength(1);
  });

  test('connection refused: UpstreamUnavailable (network, ECONNREFUSED), retried even for POST (nothing was sent)', async () => {
    const port = await freePort();
    const c = client({ url: `http://127.0.0.1:${port}`, retries: { maxAttempts: 3, baseDelayMs: 1 } });
    const err = await c.post('/orders', { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamUnavailable);
    expect(err).toMatchObject({ reason: 'network', code: 'ECONNREFUSED', attempts: 3 });
  });

  test('the breaker opens after repeated failures: calls fail fast without a request, then a trial closes it', async () => {
    let failing = true;
    script = (_q, res) => (failing ? json(res, 502, {}) : json(res, 200, { ok: true }));
    const registry = createRegistry();
    const c = client(
      { retries: { maxAttempts: 1 }, breaker: { failureThreshold: 3, coolDownMs: 300 } },
      registry,
    );
    for (let i = 0; i < 3; i++) await expect(c.get('/x')).rejects.toMatchObject({ reason: 'status' });
    expect(c.breaker.state).toBe('open');
    const t0 = performance.now();
    const fast = await c.get('/x').catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(20);
    expect(fast).toMatchObject({ reason: 'circuit-open', attempts: 0 });
    expect((fast as UpstreamUnavailable).retryAfterMs).toBeGreaterThan(200);
    expect(seen).toHaveLength(3);

    failing = false;
    await new Promise((r) => setTimeout(r, 320));
    expect(c.breaker.state).toBe('half-open');
    await expect(c.get('/x')).resolves.toMatchObject({ status: 200 });
    expect(c.breaker.state).toBe('closed');

    const text = await registry.metrics();
    expect(text).toMatch(
      /upstream_request_duration_seconds_count\{upstream="stub",outcome="server_error"\} 3/,
    );
    expect(text).toMatch(/upstream_request_duration_seconds_count\{upstream="stub",outcome="success"\} 1/);
    expect(text).toMatch(/upstream_short_circuits_total\{upstream="stub"\} 1/);
    expect(text).toMatch(/upstream_circuit_state\{upstream="stub"\} 0/);
    expect(text).toMatch(/upstream_retries_total\{upstream="stub"\} 0/);
  });

  test('the circuit state gauge shows an open breaker as 2', async () => {
    script = (_q, res) => json(res, 500, {});
    const registry = createRegistry();
    const c = client(
      { retries: { maxAttempts: 2, baseDelayMs: 1 }, breaker: { failureThreshold: 2 } },
      registry,
    );
    await expect(c.get('/x')).rejects.toBeInstanceOf(UpstreamUnavailable);
    const text = await registry.metrics();
    expect(text).toMatch(/upstream_circuit_state\{upstream="stub"\} 2/);
    expect(text).toMatch(/upstream_retries_total\{upstream="stub"\} 1/);
  });

  test('a retry the breaker refuses ends the call with the failure that opened it, not circuit-open', async () => {
    script = (_q, res) => json(res, 502, {});
    const registry = createRegistry();
    const c = client(
      { retries: { maxAttempts: 3, baseDelayMs: 1 }, breaker: { failureThreshold: 1 } },
      registry,
    );
    await expect(c.get('/x')).rejects.toMatchObject({ reason: 'status', status: 502, attempts: 1 });
    expect(seen).toHaveLength(1);
    expect(await registry.metrics()).toMatch(/upstream_short_circuits_total\{upstream="stub"\} 1/);
    await expect(c.get('/x')).rejects.toMatchObject({ reason: 'circuit-open', attempts: 0 });
  });

  test('a 429 is retried but does not count against the breaker', async () => {
    script = (_q, res) => json(res, 429, { status: 429, title: 'slow down' });
    const c = client({ retries: { maxAttempts: 3, baseDelayMs: 1 }, breaker: { failureThreshold: 2 } });
    await expect(c.get('/x')).rejects.toMatchObject({ reason: 'status', status: 429, attempts: 3 });
    expect(c.breaker.state).toBe('closed');
  });

  test('answers that break the contract: invalid JSON and oversized bodies are bad-response, not retried', async () => {
    script = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"half":');
    };
    const c = client({ retries: { maxAttempts: 3, baseDelayMs: 1 } });
    await expect(c.get('/x')).rejects.toMatchObject({ reason: 'bad-response', status: 200 });
    expect(seen).toHaveLength(1);
    script = (_q, res) => json(res, 200, { big: 'x'.repeat(2_000_000) });
    await expect(c.get('/x')).rejects.toMatchObject({ reason: 'bad-response' });
  });

  test('keep-alive: consecutive calls reuse one connection', async () => {
    const ports = new Set<number>();
    script = (_q, res) => {
      ports.add(res.socket!.remotePort!);
      json(res, 200, {});
    };
    const c = client();
    for (let i = 0; i < 5; i++) await c.get('/x');
    expect(ports.size).toBe(1);
  });

  test('a URL that is not http(s) is a ConfigError naming the upstream', () => {
    expect(() => new UpstreamClient({ name: 'product-api', settings: { url: 'ftp://x' } })).toThrow(
      ConfigError,
    );
    expect(() => new UpstreamClient({ name: 'product-api', settings: { url: 'not a url' } })).toThrow(
      'upstream product-api: url "not a url" is not a valid URL',
    );
  });

  test('upstreamOutageError: a 503 problem naming the upstream and reason, with Retry-After', async () => {
    script = (_q, res) => json(res, 503, {});
    const c = client({ retries: { maxAttempts: 1 }, breaker: { failureThreshold: 1, coolDownMs: 4200 } });
    const outage = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('expected an outage');
        },
        (e: UpstreamUnavailable) => e,
      );
    const first = await outage(c.get('/x'));
    const open = await outage(c.get('/x'));
    const a = upstreamOutageError(first, { orderId: 'o-1' });
    expect(a.status).toBe(503);
    expect(a.problem).toMatchObject({
      type: 'urn:techcommerce:problem:upstream-unavailable',
      upstream: 'stub',
      reason: 'status',
      orderId: 'o-1',
      detail: 'stub is unavailable (it answered 503); try again shortly',
    });
    const b = upstreamOutageError(open);
    expect(b.problem.reason).toBe('circuit-open');
    expect(b.headers['retry-after']).toBe('5');
  });
});
