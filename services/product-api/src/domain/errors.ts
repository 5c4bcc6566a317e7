// Domain failures the stores report; the routes turn them into problem responses.
export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} not found`);
  }
}

export class DuplicateSkuError extends Error {
  constructor(readonly sku: string) {
    super(`a product with sku ${sku} already exists`);
  }
}

export interface Shortage {
  productId: string;
  sku: string;
  name: string;
  requested: number;
  available: number;
}

export class InsufficientStockError extends Error {
  constructor(readonly shortages: Shortage[]) {
    super(
      `not enough stock for ${shortages.map((s) => `${s.productId} (requested ${s.requested}, available ${s.available})`).join(', ')}`,
    );
  }
}

export class UnknownProductsError extends Error {
  constructor(readonly productIds: string[]) {
    super(`unknown products: ${productIds.join(', ')}`);
  }
}

/** The reservation id was already used for different items. */
export class ReservationConflictError extends Error {}

/** Committing a released reservation. */
export class InvalidTransitionError extends Error {}

/** A cursor that is malformed or belongs to another sort or filter. */
export class BadCursorError extends Error {}

/** A stock delta would take the stock below zero. */
export class StockBelowZeroError extends Error {}

/** If-Match named another version of the product than the stored one. */
export class PreconditionFailedError extends Error {}
