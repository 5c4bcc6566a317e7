import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  createService,
  fetchWithRequestId,
  HttpError,
  type OpenApiDocument,
  type ServiceInstance,
} from '@techcommerce/runtime';
import { LogSink, testSchema } from './helpers';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  components: {
    schemas: {
      Item: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'qty'],
        properties: { name: { type: 'string', minLength: 1 }, qty: { type: 'integer', minimum: 1 } },
      },
    },
  },
  paths: {
    '/things': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 10 } },
          { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
      },
      post: {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
        },
      },
    },
    '/things/{id}': {
      get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }] },
    },
    '/boom': { get: {} },
    '/data-exception': { get: {} },
    '/guarded': {
      post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
};

let healthy = true;
let slowCheck = false;

async function start(logs: LogSink): Promise<ServiceInstance<{ server: { port: number } }>> {
  return createService(
    {
      name: 'test-svc',
      configSchema: testSchema,
      setup: () => ({
        openapi: doc,
        routes: [
          { method: 'GET', path: '/things', handler: (ctx) => ({ body: { query: ctx.query } }) },
          { method: 'POST', path: '/things', handler: (ctx) => ({ status: 201, body: ctx.body }) },
          { method: 'GET', path: '/things/:id', handler: (ctx) => ({ body: { id: ctx.params.id } }) },
          {
            method: 'GET',
            path: '/boom',
            handler: () => {
              throw new Error('database password is hunter2 at /secret/path.ts:12');
            },
          },
          {
            method: 'GET',
            path: '/data-exception',
            handler: () => {
              // What pg and PGlite throw for a value PostgreSQL cannot take (here: invalid UTF-8).
              throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
                code: '22021',
              });
            },
          },
          {
            method: 'POST',
            path: '/guarded',
            guard: (ctx) => {
              if (ctx.headers.authorization !== 'Bearer ok') throw new HttpError(401, 'no');
            },
            handler: (ctx) => ({ body: ctx.body }),
          },
        ],
        checks: [
          {
            name: 'database',
            check: async () => {
              if (slowCheck) await new Promise((r) => setTimeout(r, 1000));
              if (!healthy) throw new Error('connection refused');
            },
          },
        ],
      }),
    },
    { env: {}, logDestination: logs },
  );
}

describe('runtime HTTP pipeline', () => {
  const logs = new LogSink();
  let svc: ServiceInstance<{ server: { port: number } }>;
  let server: http.Server;
  beforeAll(async () => {
    svc = await start(logs);
    server = svc.app.server;
  });
  afterAll(() => svc.shutdown());

  test('routes by template, coerces and defaults query parameters from the OpenAPI document', async () => {
    const res = await request(server).get('/things?tag=a&tag=b').expect(200);
    expect(res.body).toEqual({ query: { limit: 10, tag: ['a', 'b'] } });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await request(server).get('/things/42').expect(200)).body).toEqual({ id: 42 });
  });

  test('invalid query, path and body give a 400 problem naming every field', async () => {
    const q = await request(server).get('/things?limit=500&colour=red').expect(400);
    expect(q.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(q.body).toMatchObject({
      type: 'urn:techcommerce:problem:validation',
      status: 400,
      errors: [
        { field: 'query.colour', message: 'is not an allowed key' },
        { field: 'query.limit', message: 'must be <= 50' },
      ],
    });
    const p = await request(server).get('/things/abc').expect(400);
    expect(p.body.errors).toEqual([{ field: 'path.id', message: 'must be integer' }]);
    const b = await request(server).post('/things').send({ name: '', qty: 'x', extra: true }).expect(400);
    expect(b.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.extra', message: 'is not an allowed key' },
        { field: 'body.name', message: 'must NOT have fewer than 1 characters' },
        { field: 'body.qty', message: 'must be integer' },
      ]),
    );
    expect(b.body.detail).toContain('body.qty: must be integer');
    const missing = await request(server).post('/things').expect(400);
    expect(missing.body.errors).toEqual([{ field: 'body', message: 'is required (a JSON document)' }]);
  });

  test('control characters other than tab, CR and LF are a 400 naming the field, in path, query and body', async () => {
    const q = await request(server).get('/things?tag=a%00b').expect(400);
    expect(q.body).toMatchObject({
      type: 'urn:techcommerce:problem:validation',
      errors: [{ field: 'query.tag', message: expect.stringContaining('control characters') }],
    });
    const p = await request(server).get('/things/4%072').expect(400);
    expect(p.body.errors).toEqual([{ field: 'path.id', message: expect.stringContaining('control') }]);
    const b = await request(server)
      .post('/things')
      .send({ name: 'x\u0000y', qty: 1, ['k\u001b']: 'v\u0085' })
      .expect(400);
    expect(b.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'body.name',
      'body.k\u001b',
      'body.k\u001b',
    ]);
    // Tab, CR and LF are text.
    await request(server).post('/things').send({ name: 'a\tb\r\nc', qty: 1 }).expect(201);
  });

  test('a PostgreSQL data exception (class 22) is a 400 problem, not a 500', async () => {
    const res = await request(server).get('/data-exception').expect(400);
    expect(res.body).toMatchObject({
      type: 'urn:techcommerce:problem:invalid-data',
      status: 400,
      sqlState: '22021',
    });
    expect(JSON.stringify(res.body)).not.toContain('UTF8');
  });

  test('a valid body reaches the handler', async () => {
    const res = await request(server).post('/things').send({ name: 'x', qty: 2 }).expect(201);
    expect(res.body).toEqual({ name: 'x', qty: 2 });
  });

  test('malformed JSON is a 400 problem; a non-JSON content type is 415', async () => {
    const res = await request(server)
      .post('/things')
      .set('content-type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(res.body).toMatchObject({
      type: 'urn:techcommerce:problem:malformed-json',
      title: 'Malformed JSON',
      status: 400,
    });
    expect(res.body.detail).toMatch(/^request body is not valid JSON/);
    await request(server).post('/things').set('content-type', 'text/plain').send('hello').expect(415);
  });

  test('an HTML form post is parsed into fields', async () => {
    const res = await request(server)
      .post('/guarded')
      .set('authorization', 'Bearer ok')
      .type('form')
      .send('name=Mouse&tag=a&tag=b&__proto__=x')
      .expect(200);
    expect(res.body).toEqual({ name: 'Mouse', tag: ['a', 'b'], ['__proto__']: 'x' });
  });

  test('a body over server.bodyLimit is refused with 413, declared or streamed (chunked)', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2000), qty: 1 });
    const declared = await request(server)
      .post('/things')
      .set('content-type', 'application/json')
      .send(big)
      .expect(413);
    expect(declared.body).toMatchObject({
      type: 'urn:techcommerce:problem:body-too-large',
      status: 413,
      limit: 1024,
    });
    // Without Content-Length the limit is enforced while streaming.
    const port = (server.address() as AddressInfo | null)?.port ?? (await svc.listen(0)).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          port,
          method: 'POST',
          path: '/things',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(big.slice(0, 800));
      req.write(big.slice(800));
      req.end();
    });
    expect(status).toBe(413);
  });

  test('unknown paths are 404 and wrong methods 405 with Allow, both problem+json', async () => {
    const nf = await request(server).get('/nowhere').expect(404);
    expect(nf.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(nf.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    const na = await request(server).delete('/things').expect(405);
    expect(na.headers.allow).toBe('GET, POST');
  });

  test('an unexpected error is a 500 problem without the message or stack; the log has both', async () => {
    const res = await request(server).get('/boom').set('x-request-id', 'boom-1').expect(500);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'an unexpected error occurred; the request id identifies it in the logs',
      requestId: 'boom-1',
    });
    expect(res.text).not.toMatch(/hunter2|secret\/path|at /);
    const line = logs.lines.find((l) => l.reqId === 'boom-1');
    expect(line).toMatchObject({ level: 'error', route: '/boom', status: 500 });
    expect(JSON.stringify(line)).toContain('hunter2');
  });

  test('a guard runs before the body is read or validated', async () => {
    await request(server)
      .post('/guarded')
      .set('content-type', 'application/json')
      .send('{not json')
      .expect(401);
    await request(server).post('/guarded').set('authorization', 'Bearer ok').send({ a: 1 }).expect(200);
  });

  test('request ids: a valid incoming x-request-id is kept and echoed, otherwise a new one is made', async () => {
    const kept = await request(server).get('/things').set('x-request-id', 'abc-123.x:y').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123.x:y');
    const made = await request(server).get('/things').set('x-request-id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await request(server).get('/things').expect(200);
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const line = logs.lines.find((l) => l.reqId === 'abc-123.x:y');
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/things',
      status: 200,
    });
    expect(typeof line?.ms).toBe('number');
  });

  test('fetchWithRequestId forwards the current request id downstream', async () => {
    const seen: (string | undefined)[] = [];
    const downstream = http.createServer((req, res) => {
      seen.push(req.headers['x-request-id'] as string | undefined);
      res.end('{}');
    });
    await new Promise<void>((r) => downstream.listen(0, '127.0.0.1', r));
    const { port } = downstream.address() as AddressInfo;
    await fetchWithRequestId({ requestId: 'trace-77' }, `http://127.0.0.1:${port}/`, { headers: { a: 'b' } });
    await new Promise((r) => downstream.close(r));
    expect(seen).toEqual(['trace-77']);
  });

  test('security headers are on every response, errors included', async () => {
    for (const res of [await request(server).get('/things'), await request(server).get('/nowhere')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  test('the duration histogram is labelled by route template and status class, never the raw URL', async () => {
    await request(server).get('/things/7').expect(200);
    await request(server).get('/things/8').expect(200);
    await request(server).get('/things/zzz').expect(400);
    await request(server).get('/no/such/777').expect(404);
    const text = (await request(server).get('/metrics').expect(200)).text;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/things\/:id",status_class="2xx"\} [2-9]/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/things\/:id",status_class="4xx"\} [1-9]/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status_class="4xx"\}/,
    );
    expect(text).not.toMatch(/route="\/things\/7"|route="\/no\/such/);
    expect(text).toContain('http_requests_in_flight');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  test('/openapi.json serves the document', async () => {
    const res = await request(server).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
  });

  test('/healthz is always 200; /readyz names the check that failed, never its error (the log has it)', async () => {
    await request(server).get('/healthz').expect(200, { status: 'ok' });
    expect((await request(server).get('/readyz').expect(200)).body).toEqual({
      status: 'ready',
      checks: { database: 'ok' },
    });
    healthy = false;
    const down = await request(server).get('/readyz').expect(503);
    expect(down.body).toMatchObject({ status: 503, checks: { database: 'failed' } });
    expect(down.body.detail).toBe('not ready: database failed');
    expect(down.text).not.toContain('connection refused');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ msg: 'not ready', reasons: { database: 'connection refused' } }),
    );
    healthy = true;
    slowCheck = true;
    const slow = await request(server).get('/readyz').expect(503);
    expect(slow.body.checks).toEqual({ database: 'timed out' });
    slowCheck = false;
  });
});

describe('shutdown hooks', () => {
  test('are bounded by the shutdown deadline: a stuck hook is left behind and the shutdown reports it', async () => {
    const logs = new LogSink();
    let later = false;
    const svc = await createService(
      {
        name: 'hooks-svc',
        configSchema: testSchema,
        setup: () => ({
          routes: [],
          // Hooks run in reverse: the stuck one first; past the deadline the rest are skipped.
          onShutdown: [() => void (later = true), () => new Promise<void>(() => undefined)],
        }),
      },
      { env: {}, config: { server: { port: 0, shutdownTimeoutSeconds: 1 } }, logDestination: logs },
    );
    const started = Date.now();
    expect(await svc.shutdown()).toBe(false);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(later).toBe(false);
    expect(logs.lines.map((l) => l.msg)).toContain('shutdown hook did not finish by the deadline');
  });
});

describe('draining (after SIGTERM, before the listener closes)', () => {
  test('requests are still served, each telling its keep-alive connection to close', async () => {
    const svc = await createService(
      {
        name: 'drain-svc',
        configSchema: testSchema,
        setup: () => ({ routes: [{ method: 'GET', path: '/things', handler: () => ({ body: [] }) }] }),
      },
      { env: {}, config: { server: { port: 0 } }, logDestination: new LogSink() },
    );
    const { port } = await svc.listen(0, '127.0.0.1');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/things', agent }, (res) =>
            res.resume().on('end', () => resolve(res)),
          )
          .on('error', reject);
      });
    try {
      expect((await get()).headers.connection).toBe('keep-alive');
      const done = svc.shutdown({ drainDelayMs: 600 });
      // Clients move to other pods while the endpoints are updated, so none is left on an idle
      // connection that the listener's close would cut under a request.
      const during = await get();
      expect({ status: during.statusCode, connection: during.headers.connection }).toEqual({
        status: 200,
        connection: 'close',
      });
      expect(await done).toBe(true);
    } finally {
      agent.destroy();
      await svc.shutdown();
    }
  });
});

describe('management port (server.managementPort)', () => {
  test('/healthz, /readyz and /metrics answer only there; the API port answers 404 for them', async () => {
    const svc = await createService(
      {
        name: 'mgmt-svc',
        configSchema: {
          ...testSchema,
          properties: {
            ...testSchema.properties,
            server: {
              ...testSchema.properties.server,
              properties: { ...testSchema.properties.server.properties, managementPort: { type: 'integer' } },
            },
          },
        },
        setup: () => ({ routes: [{ method: 'GET', path: '/things', handler: () => ({ body: [] }) }] }),
      },
      { env: {}, config: { server: { port: 0, managementPort: 0 } }, logDestination: new LogSink() },
    );
    try {
      const api = await svc.listen(0, '127.0.0.1', 0);
      const mgmt = svc.managementAddress()!;
      expect(mgmt.port).not.toBe(api.port);
      const at = (port: number, path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      expect((await at(api.port, '/things')).status).toBe(200);
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        expect((await at(api.port, path)).status).toBe(404);
        expect((await at(mgmt.port, path)).status).toBe(200);
      }
      expect(await (await at(mgmt.port, '/metrics')).text()).toContain('http_request_duration_seconds');
      expect((await at(mgmt.port, '/things')).status).toBe(404);
      await svc.shutdown();
      // Shut down: the management listener is closed too.
      await expect(at(mgmt.port, '/healthz')).rejects.toThrow();
    } finally {
      await svc.shutdown();
    }
  });
});

describe('service assembly', () => {
  test('an OpenAPI operation without a route stops start-up', async () => {
    await expect(
      createService(
        {
          name: 'x',
          configSchema: testSchema,
          setup: () => ({ openapi: doc, routes: [{ method: 'GET', path: '/things', handler: () => ({}) }] }),
        },
        { env: {}, logDestination: new LogSink() },
      ),
    ).rejects.toThrow(/route .* has no operation|OpenAPI operations without a route: POST \/things/);
  });

  test('a route missing from the OpenAPI document stops start-up', async () => {
    await expect(
      createService(
        {
          name: 'x',
          configSchema: testSchema,
          setup: () => ({ openapi: doc, routes: [{ method: 'GET', path: '/other', handler: () => ({}) }] }),
        },
        { env: {}, logDestination: new LogSink() },
      ),
    ).rejects.toThrow('route GET /other has no operation in the OpenAPI document');
  });
});

describe('aborted uploads', () => {
  test('a client that disconnects mid-body does not leave a request in flight', async () => {
    const svc = await start(new LogSink());
    try {
      const { port } = await svc.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => {
        const req = http.request({
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/things',
          headers: { 'content-type': 'application/json', 'content-length': '500' },
        });
        req.on('error', () => resolve());
        req.write('{"name":"x",');
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
      const deadline = Date.now() + 2000;
      while (svc.app.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(svc.app.inFlight()).toBe(0);
    } finally {
      expect(await svc.shutdown()).toBe(true);
    }
  });
});
