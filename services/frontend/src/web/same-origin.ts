// Cross-site request forgery, beyond SameSite=Lax cookies: a form post must come from this shop's
// own pages. Browsers say where a request comes from in Sec-Fetch-Site (all current ones) and
// Origin (on every POST); either naming another site refuses it. A request with neither is not a
// browser's cross-site form post (curl, a health check, a test), and SameSite=Lax still keeps the
// shopper's cookies off it.
import type { NextFunction, Request, Response } from 'express';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why the request is refused, or undefined when it may proceed. */
export function crossSiteReason(req: Pick<Request, 'method' | 'headers'>): string | undefined {
  if (!UNSAFE.has(req.method)) return undefined;
  const site = req.headers['sec-fetch-site'];
  // same-origin: our own page; none: the user's own action (typed, bookmarked), no page involved.
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    return `Sec-Fetch-Site is ${site}`;
  const origin = req.headers.origin;
  if (typeof origin === 'string') {
    let host: string | undefined;
    try {
      host = origin === 'null' ? undefined : new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host !== req.headers.host) return `Origin ${origin} is not this site`;
  }
  return undefined;
}

export function sameOriginPosts(refuse: (req: Request, res: Response, reason: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const reason = crossSiteReason(req);
    if (reason) refuse(req, res, reason);
    else next();
  };
}
