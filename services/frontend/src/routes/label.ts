// Each page handler names its route template for the runtime's metrics and log lines, so the
// `route` label is /products/:id and never a raw URL. Express knows the template of the route it
// is running (req.route.path), so the path is written once, where the route is registered.
import type { NextFunction, Request, Response } from 'express';
import { setRouteLabel } from '@techcommerce/runtime';

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void> | void;

export function labelled(handler: Handler): Handler {
  return (req, res, next) => {
    // baseUrl is the mount path of the router ('' at the root), so a mounted router labels fully.
    setRouteLabel(req, `${req.baseUrl}${String((req.route as { path: unknown }).path)}`);
    return handler(req, res, next);
  };
}
