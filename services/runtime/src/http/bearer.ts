// Bearer-token guards for routes only some callers may use: admin writes, and the internal
// endpoints one service calls on another (a per-release service token from a Kubernetes Secret).
// Comparison is constant-time on fixed-length digests, so neither the token's content nor its
// length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config';
import { HttpError } from './problem';
import type { RequestContext } from './types';

export const MIN_TOKEN_LENGTH = 16;

const digest = (s: string) => createHash('sha256').update(s).digest();

export interface BearerGuardOptions {
  /** The expected token (a secret), or undefined when none is configured. */
  token: string | undefined;
  /** The secret's name, for messages: ADMIN_TOKEN, RESERVATIONS_TOKEN. */
  secret: string;
  /** WWW-Authenticate realm, e.g. "product-api reservations". */
  realm: string;
  /** What the token guards, plural, for messages: "admin writes", "reservation calls". */
  what: string;
  /**
   * Without a token: 'refuse' answers 401 to everyone (admin writes stay off), 'allow' lets every
   * caller through (a laptop, where no Secret exists; the chart always mounts one).
   */
  whenUnset: 'refuse' | 'allow';
}

/** A route guard (see Route.guard): 401 problem unless `Authorization: Bearer <token>`. */
export function bearerGuard(o: BearerGuardOptions): (ctx: RequestContext) => void {
  if (o.token !== undefined && o.token.length < MIN_TOKEN_LENGTH)
    throw new ConfigError(`${o.secret} is too short: use at least ${MIN_TOKEN_LENGTH} characters`);
  const expected = o.token === undefined ? undefined : digest(o.token);
  const challenge = { 'www-authenticate': `Bearer realm="${o.realm}"` };
  return (ctx) => {
    if (!expected) {
      if (o.whenUnset === 'allow') return;
      throw new HttpError(401, `${o.what} are disabled: the ${o.secret} secret is not set`, {
        headers: challenge,
      });
    }
    const header = ctx.headers.authorization ?? '';
    const m = /^Bearer ([^\s]+)$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!), expected))
      throw new HttpError(401, `${o.what} need a valid bearer token (${o.secret})`, { headers: challenge });
  };
}
