// TEST ONLY: registered only when config faults.enabled is true.
import type { RequestContext, Route } from '@techcommerce/runtime';
import type { FaultInjector, FaultSettings } from '../faults';

export function faultRoutes(faults: FaultInjector, adminGuard: (ctx: RequestContext) => void): Route[] {
  return [
    { method: 'GET', path: '/admin/faults', guard: adminGuard, handler: () => ({ body: faults.settings }) },
    {
      method: 'PUT',
      path: '/admin/faults',
      guard: adminGuard,
      handler: (ctx) => {
        faults.settings = { ...(ctx.body as FaultSettings) };
        ctx.log.warn({ faults: faults.settings }, 'fault injection changed');
        return { body: faults.settings };
      },
    },
  ];
}
