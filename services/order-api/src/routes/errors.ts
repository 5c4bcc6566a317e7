// Domain failures -> problem responses, in one place so every route answers them alike.
import {
  HttpError,
  problemType,
  upstreamOutageError,
  validationError,
  withProblemMapping,
} from '@techcommerce/runtime';
import {
  BadCursorError,
  IdempotencyKeyReuseError,
  NotCancellableError,
  NotFoundError,
  OrderFailedError,
  ProductApiOutageError,
} from '../domain/errors';

export function toHttpError(err: unknown): unknown {
  if (err instanceof OrderFailedError) {
    const { type, title, status, detail, ...extensions } = err.failure.problem;
    return new HttpError(status, detail, { type, title, extensions });
  }
  if (err instanceof ProductApiOutageError) {
    return upstreamOutageError(err.outage, err.orderId ? { orderId: err.orderId } : {});
  }
  if (err instanceof NotFoundError) return new HttpError(404, err.message);
  if (err instanceof BadCursorError)
    return validationError([{ field: 'query.cursor', message: err.message }]);
  if (err instanceof IdempotencyKeyReuseError) {
    return new HttpError(422, err.message, {
      type: problemType('idempotency-key-reuse'),
      title: 'Idempotency-Key reused',
      extensions: { orderId: err.orderId },
    });
  }
  if (err instanceof NotCancellableError) {
    return new HttpError(409, err.message, {
      type: problemType('order-not-cancellable'),
      title: 'Order cannot be cancelled',
      extensions: {
        orderId: err.order.id,
        orderStatus: err.order.status,
        stockStatus: err.order.stockStatus,
      },
    });
  }
  return err;
}

/** Wraps a handler so order-api's domain errors become problem responses. */
export const answering = withProblemMapping(toHttpError);
