// Both APIs take lists of { productId, quantity } lines. A JSON Schema cannot say "each productId
// once", so a repeat is a request the document allows: a 422 (`repeated-product`) it documents,
// not a 400 (which means the request does not fit the document).
import { HttpError, problemType } from './problem';

/** Refuses lines that repeat an earlier line's product (ids compared case-blind), naming each. */
export function requireDistinctProducts(items: readonly { productId: string }[], hint: string): void {
  const first = new Map<string, number>();
  const errors = items.flatMap((item, i) => {
    const id = item.productId.toLowerCase();
    const at = first.get(id);
    if (at === undefined) first.set(id, i);
    return at === undefined
      ? []
      : [{ field: `body.items[${i}].productId`, message: `repeats items[${at}]; ${hint}` }];
  });
  if (errors.length)
    throw new HttpError(422, errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      type: problemType('repeated-product'),
      title: 'Product listed twice',
      extensions: { errors },
    });
}
