// Admin writes need `Authorization: Bearer <ADMIN_TOKEN>`. Comparison is constant-time on fixed-
// length digests, so neither the token's content nor its length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError, HttpError, type RequestContext } from '@techcommerce/runtime';

export const MIN_TOKEN_LENGTH = 16;

const digest = (s: string) => createHash('sha256').update(s).digest();

export function adminGuard(token: string | undefined): (ctx: RequestContext) => void {
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`ADMIN_TOKEN is too short: use at least ${MIN_TOKEN_LENGTH} characters`);
  }
  const expected = token === undefined ? undefined : digest(token);
  const challenge = { 'www-authenticate': 'Bearer realm="product-api admin"' };
  return (ctx) => {
    if (!expected) {
      throw new HttpError(401, 'admin writes are disabled: the ADMIN_TOKEN secret is not set', {
        headers: challenge,
      });
    }
    const header = ctx.headers.authorization ?? '';
    const m = /^Bearer ([^\s]+)$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
      throw new HttpError(401, 'a valid admin bearer token is required', { headers: challenge });
    }
  };
}
