// Each page handler names its route template for the runtime's metrics and log lines, so the
// `route` label is /products/:id and never a raw URL.
import type { NextFunction, Request, Response } from 'express';
import { setRouteLabel } from '@techcommerce/runtime';

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void> | void;

export function labelled(template: string, handler: Handler): Handler {
  return (req, res, next) => {
    setRouteLabel(req, template);
    return handler(req, res, next);
  };
}
