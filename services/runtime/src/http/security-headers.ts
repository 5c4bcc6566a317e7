// Helmet's security headers, computed once at start-up and then written with every response.
// Running helmet's middleware per request costs measurable throughput (see docs/metrics.md and
// scripts/bench) for a result that never changes; per-request values such as CSP nonces are the
// one thing this cannot do, and a handler can still set any header on its own reply.
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type { HelmetOptions } from 'helmet';

/** For JSON APIs: nothing may be loaded or framed from a response. */
export const apiHelmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
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
