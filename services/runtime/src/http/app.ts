// The HTTP application: one lean request pipeline on node:http. Per request it does only what
// must be per request: match the route, take or make the request id, read and validate the body,
// call the handler, write the response with precomputed security headers, then record one
// histogram observation and (optionally) one log line. Every error becomes problem+json.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { Readiness, type ReadinessCheck } from '../health';
import { createHttpMetrics, type Registry } from '../metrics';
import { parseByteSize, type LogSettings, type ServerSettings } from '../settings';
import { isDatabaseUnavailable, isDataException, pgErrorCode } from '../db/types';
import { parseJsonBody, parseQuery, readBody } from './body';
import { runFallback, type RequestListener } from './fallback';
import { OpenApiValidators, type OpenApiDocument, type RequestValidator } from './openapi';
import { completeOpenApi } from './openapi-document';
import { refuseControlCharacters } from './input';
import { HttpError, problemType, type Problem } from './problem';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { Router } from './router';
import { computeSecurityHeaders, type HelmetOptions } from './security-headers';
import type { Handler, Reply, RequestContext, Route } from './types';

export interface AppOptions {
  service: string;
  server: ServerSettings;
  log?: LogSettings;
  logger: Logger;
  registry: Registry;
  routes: Route[];
  checks?: ReadinessCheck[];
  /**
   * When given: completed with the pipeline's own responses (openapi-document.ts), served at
   * /openapi.json and used to validate every route's requests.
   */
  openapi?: OpenApiDocument;
  /** Helmet options; the default suits JSON APIs. */
  securityHeaders?: HelmetOptions;
  /** Serves every request no route matches (e.g. an Express app of HTML pages); see fallback.ts. */
  fallback?: RequestListener;
}

export interface App {
  server: http.Server;
  /** With server.managementPort: serves /healthz, /readyz and /metrics (and nothing else). */
  managementServer?: http.Server;
  readiness: Readiness;
  /** Requests being served now. */
  inFlight(): number;
  /** After this, responses carry Connection: close so keep-alive connections end with them. */
  startClosing(): void;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

interface CompiledRoute extends Route {
  validate?: RequestValidator;
}

export function createApp(o: AppOptions): App {
  const logger = o.logger;
  const metrics = createHttpMetrics(o.registry);
  const readiness = new Readiness(o.checks ?? [], o.server.readinessTimeoutMs ?? 1000);
  const bodyLimit = parseByteSize(o.server.bodyLimit ?? '100kb');
  const logRequests = o.log?.requests ?? true;
  const securityHeaders = computeSecurityHeaders(o.securityHeaders);
  // The document as served and as validated: the service's, plus what this pipeline answers.
  const document = o.openapi && completeOpenApi(o.openapi);
  const openapi = document ? new OpenApiValidators(document) : undefined;
  const openapiJson = document ? Buffer.from(JSON.stringify(document)) : undefined;

  const routes: CompiledRoute[] = o.routes.map((r) => ({
    ...r,
    validate: openapi?.compile(r.method, r.path),
  }));
  if (openapi) {
    const served = new Set(o.routes.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`));
    const missing = openapi.operations().filter((op) => !served.has(`${op.method} ${op.path}`));
    if (missing.length) {
      throw new Error(
        `OpenAPI operations without a route: ${missing.map((m) => `${m.method} ${m.path}`).join(', ')}`,
      );
    }
  }
  // Probes and metrics: on the management port when there is one (kubelet and Prometheus reach it;
  // an Ingress that routes the service port never does), otherwise beside the API routes.
  const management: Route[] = [
    { method: 'GET', path: '/healthz', handler: () => ({ body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async () => {
        const r = await readiness.run();
        if (r.ready) return { body: { status: 'ready', checks: r.checks } };
        // Which check failed is for the caller; why (hosts, errors) is for the log only.
        logger.warn({ checks: r.checks, reasons: r.reasons }, 'not ready');
        const failed = Object.entries(r.checks).filter(([, v]) => v !== 'ok');
        throw new HttpError(503, `not ready: ${failed.map(([k, v]) => `${k} ${v}`).join('; ')}`, {
          title: 'Service Unavailable',
          extensions: { checks: r.checks },
        });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async () => ({ raw: await o.registry.metrics(), contentType: o.registry.contentType }),
    },
  ];
  const builtIn: Route[] = [];
  if (openapiJson)
    builtIn.push({ method: 'GET', path: '/openapi.json', handler: () => ({ raw: openapiJson }) });
  const separate = o.server.managementPort !== undefined;
  const router = new Router([...(separate ? [] : management), ...builtIn, ...routes]);
  const managementRouter = separate ? new Router(management) : undefined;

  let inFlight = 0;
  let closing = false;

  // Headers go to writeHead as one flat [name, value, ...] list copied from a precomputed prefix:
  // no per-response object merging, no per-response helmet run (scripts/bench middleware).
  const staticHeaders = Object.entries(securityHeaders).flat();

  function headerList(
    type: string | undefined,
    length: number | undefined,
    extra: Record<string, string | number> | undefined,
    requestId: string,
    close: boolean,
  ): string[] {
    const h = staticHeaders.slice();
    if (type !== undefined) h.push('content-type', type, 'content-length', String(length));
    h.push(REQUEST_ID_HEADER, requestId);
    if (extra) {
      for (const name in extra) {
        const lower = name.toLowerCase();
        const at = lower in securityHeaders ? h.indexOf(lower) : -1;
        if (at >= 0)
          h[at + 1] = String(extra[name]); // a handler may override a security header
        else h.push(lower, String(extra[name]));
      }
    }
    if (close || closing) h.push('connection', 'close');
    return h;
  }

  function write(
    res: ServerResponse,
    status: number,
    type: string,
    body: Buffer | string,
    extra: Record<string, string | number> | undefined,
    requestId: string,
    close: boolean,
  ) {
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    res.writeHead(status, headerList(type, length, extra, requestId, close));
    res.end(body);
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    router: Router,
    fallback?: RequestListener,
  ): Promise<void> {
    const started = performance.now();
    inFlight++;
    metrics.requestStarted();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    let route = 'unmatched';
    let status = 500;
    let problem: Problem | undefined;
    let failure: unknown;
    let ctxLog: Logger | undefined;
    try {
      const match = router.match(method, path);
      if (match.kind === 'not-found' && fallback) {
        route = await runFallback(fallback, req, res, {
          requestId,
          securityHeaders,
          isClosing: () => closing,
        });
        status = res.statusCode;
        return;
      }
      if (match.kind === 'not-found') throw new HttpError(404, `no route for ${method} ${path}`);
      if (match.kind === 'method-not-allowed') {
        route = match.template;
        throw new HttpError(405, `${method} is not allowed on ${match.template}`, {
          headers: { allow: match.allowed.join(', ') },
        });
      }
      const r = match.route as CompiledRoute;
      route = r.path;
      const ctx: RequestContext = {
        method,
        path,
        route,
        params: match.params,
        query: q === -1 ? {} : parseQuery(url.slice(q + 1)),
        body: undefined,
        headers: req.headers,
        requestId,
        req,
        get log() {
          return (ctxLog ??= logger.child({ reqId: requestId }));
        },
      };
      if (r.guard) await r.guard(ctx);
      if (BODY_METHODS.has(method)) ctx.body = parseJsonBody(req, await readBody(req, bodyLimit));
      refuseControlCharacters({ path: ctx.params, query: ctx.query, body: ctx.body });
      r.validate?.(ctx);
      const reply = (await (r.handler as Handler)(ctx)) ?? { status: 204 };
      status = reply.status ?? 200;
      if (status === 204 || status === 304) {
        res.writeHead(status, headerList(undefined, undefined, reply.headers, requestId, false));
        res.end();
      } else if (reply.raw !== undefined) {
        write(res, status, reply.contentType ?? JSON_TYPE, reply.raw, reply.headers, requestId, false);
      } else {
        write(
          res,
          status,
          reply.contentType ?? JSON_TYPE,
          JSON.stringify(reply.body ?? null),
          reply.headers,
          requestId,
          false,
        );
      }
    } catch (err) {
      const e = err instanceof HttpError ? err : (dataError(err) ?? unavailableError(err));
      status = e?.status ?? 500;
      problem = e
        ? { ...e.problem }
        : {
            type: 'about:blank',
            title: 'Internal Server Error',
            status,
            detail: 'an unexpected error occurred; the request id identifies it in the logs',
          };
      problem.requestId = requestId;
      if (!e) failure = err;
      // A data exception means validation let a value through that it should have refused: the
      // client gets a 400, the log keeps the database's message so the gap can be closed.
      else if (e.status === 503 && !(err instanceof HttpError))
        logger.warn({ reqId: requestId, route, err }, 'database unavailable');
      else if (!(err instanceof HttpError))
        logger.warn({ reqId: requestId, route, err }, 'database refused a request value');
      if (res.headersSent) res.destroy();
      // 413: the rest of the body was not read, so the connection cannot be reused.
      else write(res, status, PROBLEM_TYPE, JSON.stringify(problem), e?.headers, requestId, status === 413);
    } finally {
      inFlight--;
      metrics.requestFinished();
      const seconds = (performance.now() - started) / 1000;
      metrics.observe(method, route, status, seconds);
      if (failure) {
        logger.error({ reqId: requestId, method, url, route, status, err: failure }, 'request failed');
      } else if (logRequests) {
        const line = {
          reqId: requestId,
          method,
          url,
          route,
          status,
          ms: Math.round(seconds * 1e4) / 10,
          ...(problem && status >= 400 ? { problem: problem.detail } : {}),
        };
        if (QUIET_ROUTES.has(route)) logger.debug(line, 'request');
        else if (status >= 500) logger.warn(line, 'request');
        else logger.info(line, 'request');
      }
    }
  }

  const serve = (r: Router, fallback?: RequestListener) => {
    const s = http.createServer((req, res) => {
      void handle(req, res, r, fallback);
    });
    // Slow or stalled clients must not pin connections forever (slowloris); these are generous.
    s.headersTimeout = 20_000;
    s.requestTimeout = 60_000;
    s.keepAliveTimeout = 65_000;
    return s;
  };
  const server = serve(router, o.fallback);

  return {
    server,
    managementServer: managementRouter && serve(managementRouter),
    readiness,
    inFlight: () => inFlight,
    startClosing() {
      closing = true;
    },
  };
}

/** A PostgreSQL data exception (class 22) as the client's error; undefined for anything else. */
function dataError(err: unknown): HttpError | undefined {
  if (!isDataException(err)) return undefined;
  return new HttpError(400, 'a value in the request cannot be stored or compared; check its format', {
    type: problemType('invalid-data'),
    title: 'Request is not valid',
    extensions: { sqlState: pgErrorCode(err) },
  });
}

/** The database is down or too slow (isDatabaseUnavailable): 503, retry shortly; else undefined. */
function unavailableError(err: unknown): HttpError | undefined {
  if (!isDatabaseUnavailable(err)) return undefined;
  return new HttpError(503, 'the database is unavailable or too slow; try again shortly', {
    type: problemType('database-unavailable'),
    title: 'Service Unavailable',
    headers: { 'retry-after': '1' },
  });
}

export { parseQuery };
export type { Reply };
