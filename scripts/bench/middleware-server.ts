// One server per variant, for `npm run bench -- middleware`: each adds one piece of per-request
// work to a bare node:http server returning a 20-product JSON page, so wrk shows what it costs.
// Run with tsx (the benchmark does): TSX_TSCONFIG_PATH=tsconfig.tests.json node --import tsx middleware-server.ts VARIANT PORT
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import helmet from 'helmet';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { Histogram, Registry } from 'prom-client';
import {
  apiHelmetOptions,
  computeSecurityHeaders,
  createApp,
  createHttpMetrics,
} from '@techcommerce/runtime';
import { seedCatalog } from '../../services/product-api/src/seed/catalog';

const body = Buffer.from(
  JSON.stringify({
    items: seedCatalog.slice(0, 20).map((p, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      description: '',
      ...p,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    })),
    nextCursor: 'eyJrIjoibmFtZXx8IiwidiI6IngiLCJpZCI6IngifQ',
  }),
);
const base = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length };
const sink = () => pino.destination({ dest: '/dev/null', sync: false });

type H = (req: IncomingMessage, res: ServerResponse) => void;

function variant(name: string): H | http.Server {
  switch (name) {
    case 'bare':
      return (_q, s) => {
        s.writeHead(200, base);
        s.end(body);
      };
    case 'request-id':
      return (q, s) => {
        const id = (q.headers['x-request-id'] as string | undefined) ?? randomUUID();
        s.writeHead(200, { ...base, 'x-request-id': id });
        s.end(body);
      };
    case 'helmet-per-request': {
      const h = helmet(apiHelmetOptions);
      return (q, s) =>
        h(q, s, () => {
          s.writeHead(200, base);
          s.end(body);
        });
    }
    case 'helmet-precomputed': {
      const headers = { ...computeSecurityHeaders(), ...base };
      return (_q, s) => {
        s.writeHead(200, headers);
        s.end(body);
      };
    }
    case 'helmet-precomputed-flat-list': {
      // What the runtime does: one [name, value, ...] list per response.
      const prefix = Object.entries(computeSecurityHeaders()).flat();
      return (_q, s) => {
        const h = prefix.slice();
        h.push('content-type', base['content-type'], 'content-length', String(body.length));
        s.writeHead(200, h);
        s.end(body);
      };
    }
    case 'histogram-label-object': {
      const hist = new Histogram({
        name: 'd',
        help: 'd',
        labelNames: ['method', 'route', 'status_class'],
        registers: [new Registry()],
      });
      return (q, s) => {
        const t = performance.now();
        s.writeHead(200, base);
        s.end(body);
        hist.observe(
          { method: q.method!, route: '/products', status_class: '2xx' },
          (performance.now() - t) / 1000,
        );
      };
    }
    case 'histogram-cached-child': {
      const m = createHttpMetrics(new Registry());
      return (q, s) => {
        const t = performance.now();
        s.writeHead(200, base);
        s.end(body);
        m.observe(q.method!, '/products', 200, (performance.now() - t) / 1000);
      };
    }
    case 'pino-http': {
      const log = pinoHttp({ logger: pino(sink()) });
      return (q, s) => {
        log(q, s);
        s.writeHead(200, base);
        s.end(body);
      };
    }
    case 'hand-written-log': {
      const logger = pino(sink());
      return (q, s) => {
        const t = performance.now();
        s.writeHead(200, base);
        s.end(body);
        logger.info(
          {
            reqId: 'x',
            method: q.method,
            url: q.url,
            route: '/products',
            status: 200,
            ms: performance.now() - t,
          },
          'request',
        );
      };
    }
    case 'runtime-logs-off':
    case 'runtime-logs-on':
      return createApp({
        service: 'bench',
        server: { port: 0 },
        log: { requests: name === 'runtime-logs-on' },
        logger: pino(sink()),
        registry: new Registry(),
        routes: [{ method: 'GET', path: '/products', handler: () => ({ raw: body }) }],
      }).server;
    default:
      throw new Error(`unknown variant ${name}`);
  }
}

const [name, port] = process.argv.slice(2);
const v = variant(name!);
const server = v instanceof http.Server ? v : http.createServer(v);
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1');
