// A fallback request listener (how the storefront serves HTML and form posts) gets the runtime's
// request id, security headers, metrics, log line and graceful shutdown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { createService, setRouteLabel, type ServiceInstance } from '@techcommerce/runtime';
import { LogSink, testSchema } from './helpers';

function pages(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/boom') throw new Error('listener bug');
  if (req.url?.startsWith('/slow')) {
    setRouteLabel(req, '/slow');
    setTimeout(() => res.end('slow done'), 300);
    return;
  }
  if (req.method === 'POST') {
    // A form body is the listener's to read: the runtime only parses JSON for its own routes.
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => res.end(`form:${body}`));
    return;
  }
  setRouteLabel(req, '/pages/:name');
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(`<p>${String(req.headers['x-request-id'])}</p>`);
}

describe('fallback listener', () => {
  let svc: ServiceInstance<{ server: { port: number } }>;
  const sink = new LogSink();

  beforeAll(async () => {
    svc = await createService(
      {
        name: 'web',
        configSchema: testSchema,
        setup: () => ({
          routes: [{ method: 'GET', path: '/api/ping', handler: () => ({ body: { pong: true } }) }],
          fallback: pages,
        }),
      },
      { config: {}, logDestination: sink },
    );
  });
  afterAll(() => svc.shutdown());

  it('serves unmatched paths with the request id, security headers and a route label', async () => {
    const res = await request(svc.app.server).get('/pages/home').set('x-request-id', 'req-42');
    expect(res.status).toBe(200);
    expect(res.text).toBe('<p>req-42</p>');
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const metrics = await request(svc.app.server).get('/metrics');
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/pages\/:name"/);
    expect(sink.lines.some((l) => l.route === '/pages/:name' && l.reqId === 'req-42')).toBe(true);
  });

  it('leaves the runtime routes and built-ins to the runtime', async () => {
    expect((await request(svc.app.server).get('/api/ping')).body).toEqual({ pong: true });
    expect((await request(svc.app.server).get('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('lets the listener read non-JSON bodies', async () => {
    const res = await request(svc.app.server)
      .post('/cart')
      .type('form')
      .send({ productId: 'a', quantity: '2' });
    expect(res.text).toBe('form:productId=a&quantity=2');
  });

  it('labels requests the listener names no route for as unmatched, never by raw URL', async () => {
    await request(svc.app.server).post('/anything/123').type('form').send('x=1');
    const metrics = (await request(svc.app.server).get('/metrics')).text;
    expect(metrics).not.toMatch(/route="\/anything/);
    expect(metrics).toMatch(/route="unmatched"/);
  });

  it('turns a listener that throws into a problem response', async () => {
    const res = await request(svc.app.server).get('/boom');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('graceful shutdown waits for an in-flight fallback request', async () => {
    const other = await createService(
      {
        name: 'web2',
        configSchema: testSchema,
        setup: () => ({ routes: [], fallback: pages }),
      },
      { config: {}, logDestination: new LogSink() },
    );
    const addr = await other.listen(0, '127.0.0.1');
    const inFlight = fetch(`http://127.0.0.1:${addr.port}/slow`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    expect(other.app.inFlight()).toBe(1);
    const clean = await other.shutdown();
    expect(clean).toBe(true);
    expect(await inFlight).toBe('slow done');
  });
});
