// Helmet's security headers, computed once at start-up and then written with every response.
// Running helmet's middleware per request costs measurable throughput (see docs/metrics.md and
// scripts/bench) for a result that never changes; per-request values such as CSP nonces are the
// one thing this cannot do, and a handler can still set any header on its own reply.
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type { HelmetOptions } from 'helmet';

/**
 * For JSON APIs: nothing may be loaded or framed from a response, no sniffing, no referrer. The
 * protections that only mean something for HTML documents a browser renders (COOP, Origin-Agent-
 * Cluster, DNS prefetch, IE download options, Flash policies, the legacy XSS filter) are left out:
 * every header is work on every response (scripts/bench middleware measures it).
 */
export const apiHelmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

export function computeSecurityHeaders(options: HelmetOptions = apiHelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure;
  return headers;
}
