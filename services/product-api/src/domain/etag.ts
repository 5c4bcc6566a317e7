// A product's ETag names its version: when it last changed and its stock. Every stock change
// (reservations included) sets updated_at, so an absolute stock write made with If-Match cannot
// undo a reservation that happened after the writer read the product.
import type { Product, ProductVersion } from './types';

export const etagOf = (p: Pick<Product, 'updatedAt' | 'stock'>): string =>
  `"${Date.parse(p.updatedAt)}.${p.stock}"`;

/** The version an If-Match value names, or undefined when it is not one of our ETags. */
export function versionOf(ifMatch: string): ProductVersion | undefined {
  const m = /^"(\d{1,15})\.(\d{1,10})"$/.exec(ifMatch.trim());
  if (!m) return undefined;
  return { updatedAt: new Date(Number(m[1])).toISOString(), stock: Number(m[2]) };
}
