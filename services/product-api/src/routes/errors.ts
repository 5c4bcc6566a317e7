// Domain failures -> problem responses, in one place so every route answers them alike.
import { HttpError, problemType, validationError, withProblemMapping } from '@techcommerce/runtime';
import {
  BadCursorError,
  DuplicateSkuError,
  InsufficientStockError,
  InvalidTransitionError,
  NotFoundError,
  PreconditionFailedError,
  ReservationConflictError,
  StockBelowZeroError,
  UnknownProductsError,
} from '../domain/errors';

export function toHttpError(err: unknown): unknown {
  if (err instanceof NotFoundError) return new HttpError(404, err.message);
  if (err instanceof PreconditionFailedError) {
    return new HttpError(412, err.message, {
      type: problemType('precondition-failed'),
      title: 'Product changed',
    });
  }
  if (err instanceof StockBelowZeroError) {
    return new HttpError(409, err.message, {
      type: problemType('insufficient-stock'),
      title: 'Insufficient stock',
    });
  }
  if (err instanceof BadCursorError)
    return validationError([{ field: 'query.cursor', message: err.message }]);
  if (err instanceof DuplicateSkuError) {
    return new HttpError(409, err.message, { type: problemType('duplicate-sku'), title: 'Duplicate SKU' });
  }
  if (err instanceof InsufficientStockError) {
    return new HttpError(409, err.message, {
      type: problemType('insufficient-stock'),
      title: 'Insufficient stock',
      extensions: { shortages: err.shortages },
    });
  }
  if (err instanceof UnknownProductsError) {
    return new HttpError(422, err.message, {
      type: problemType('unknown-products'),
      title: 'Unknown products',
      extensions: { productIds: err.productIds },
    });
  }
  if (err instanceof ReservationConflictError) {
    return new HttpError(409, err.message, {
      type: problemType('reservation-id-conflict'),
      title: 'Reservation id in use',
    });
  }
  if (err instanceof InvalidTransitionError) {
    return new HttpError(409, err.message, {
      type: problemType('invalid-transition'),
      title: 'Invalid state change',
    });
  }
  return err;
}

/** Wraps a handler so product-api's domain errors become problem responses. */
export const answering = withProblemMapping(toHttpError);
