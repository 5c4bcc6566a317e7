// A service that is more than a JSON API (the storefront: HTML pages, form posts, static files)
// hands every request its routes do not match to a plain node request listener, such as an Express
// app. The runtime keeps what it owns for those requests too: the request id, the security
// headers, Connection: close while shutting down, the in-flight count that graceful shutdown
// waits for, one metrics observation and one log line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER } from './request-id';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const routeLabels = new WeakMap<IncomingMessage, string>();

/**
 * Names the route template (e.g. /products/:id) a fallback request matched, for the metrics and
 * log `route` label. Requests that never set one are labelled "unmatched": never the raw URL.
 */
export function setRouteLabel(req: IncomingMessage, template: string): void {
  routeLabels.set(req, template);
}

export interface FallbackRequest {
  requestId: string;
  /** Precomputed security headers; the listener may override any of them. */
  securityHeaders: Record<string, string>;
  /** True once graceful shutdown closes the listener. */
  isClosing: () => boolean;
}

/** Runs the listener; resolves with the route label once the response is finished or abandoned. */
export function runFallback(
  listener: RequestListener,
  req: IncomingMessage,
  res: ServerResponse,
  o: FallbackRequest,
): Promise<string> {
  for (const name in o.securityHeaders) res.setHeader(name, o.securityHeaders[name]!);
  res.setHeader(REQUEST_ID_HEADER, o.requestId);
  // The listener reads the id from the request, whether the caller sent it or the runtime made it.
  req.headers[REQUEST_ID_HEADER] = o.requestId;
  if (o.isClosing()) res.setHeader('connection', 'close');
  const socket = req.socket;
  return new Promise((resolve) => {
    res.once('finish', () => {
      // Shutdown began while this response was under way with keep-alive: end the connection
      // after it, or the server's close() would wait for the client's idle timeout.
      if (o.isClosing()) socket.end();
    });
    res.once('close', () => resolve(routeLabels.get(req) ?? 'unmatched'));
    listener(req, res);
  });
}
