// Who may call what: admin writes need ADMIN_TOKEN (refused when it is not set); the reservation
// endpoints need RESERVATIONS_TOKEN, the service token only order-api's pods get (open when it is
// not set: a laptop, where no Secret exists; the charts always mount one).
import { bearerGuard, type RequestContext } from '@techcommerce/runtime';

export { MIN_TOKEN_LENGTH } from '@techcommerce/runtime';

export const adminGuard = (token: string | undefined): ((ctx: RequestContext) => void) =>
  bearerGuard({
    token,
    secret: 'ADMIN_TOKEN',
    realm: 'product-api admin',
    what: 'admin writes',
    whenUnset: 'refuse',
  });

export const reservationsGuard = (token: string | undefined): ((ctx: RequestContext) => void) =>
  bearerGuard({
    token,
    secret: 'RESERVATIONS_TOKEN',
    realm: 'product-api reservations',
    what: 'reservation calls',
    whenUnset: 'allow',
  });
