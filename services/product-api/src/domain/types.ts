// The product-api's domain as the API shows it (camelCase, ISO timestamps, prices in minor units).
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  /** Price in the currency's minor unit (cents for EUR/USD). */
  priceMinor: number;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

export type NewProduct = Omit<Product, 'id' | 'createdAt' | 'updatedAt' | 'description'> & {
  description?: string;
};
export type ProductPatch = Partial<NewProduct> & {
  /** Added to the stock (negative takes away): a change that cannot undo a concurrent reservation. */
  stockDelta?: number;
};

/** The version of a product an If-Match names (its ETag): see etag.ts. */
export interface ProductVersion {
  updatedAt: string;
  stock: number;
}

export const SORTS = ['name', '-name', 'price', '-price', 'createdAt', '-createdAt'] as const;
export type Sort = (typeof SORTS)[number];

export interface ListQuery {
  limit: number;
  sort: Sort;
  category?: string;
  q?: string;
  cursor?: string;
}

export interface ProductPage {
  items: Product[];
  /** Pass as ?cursor= for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface CategorySummary {
  category: string;
  products: number;
}

export type ReservationStatus = 'reserved' | 'committed' | 'released';

/** One line of a reservation request. */
export interface RequestedItem {
  productId: string;
  quantity: number;
}

/** One line of a reservation: what was reserved, at the catalog's values of that moment. */
export interface ReservationItem extends RequestedItem {
  // Null only for reservations made before these were recorded whose product was deleted since.
  sku: string | null;
  name: string | null;
  priceMinor: number | null;
  currency: string | null;
}

export interface Reservation {
  id: string;
  status: ReservationStatus;
  items: ReservationItem[];
  createdAt: string;
  updatedAt: string;
  /** While reserved: when the sweeper releases it if it is neither committed nor released. */
  expiresAt: string;
}
