import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Logger } from 'pino';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestContext {
  readonly method: string;
  /** The URL path without the query string, as sent. */
  readonly path: string;
  /** The matched route template, e.g. /products/:id. */
  readonly route: string;
  readonly params: Record<string, string>;
  /** Query parameters; after OpenAPI validation, coerced to the declared types. */
  query: Record<string, unknown>;
  /** Parsed JSON body (undefined when the request had none). */
  body: unknown;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  /** Logger bound to this request's id (created on first use). */
  readonly log: Logger;
  readonly req: IncomingMessage;
}

export interface Reply {
  status?: number;
  /** Serialised as JSON. */
  body?: unknown;
  /** Already-serialised body (e.g. from a cache); sent as is with contentType. */
  raw?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string | number>;
}

/** Returning nothing answers 204 No Content. */
export type Handler = (ctx: RequestContext) => Promise<Reply | void> | Reply | void;

export interface Route {
  method: HttpMethod;
  /** Template with :params, e.g. /products/:id. Also the metrics' route label. */
  path: string;
  handler: Handler;
  /**
   * Runs before the body is read or validated (e.g. authentication), so a caller without access
   * learns nothing about the request format and costs no body parsing. Throw HttpError to refuse.
   */
  guard?: (ctx: RequestContext) => void | Promise<void>;
}
