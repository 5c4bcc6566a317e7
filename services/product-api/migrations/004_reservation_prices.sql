-- A reservation answers with what each item was reserved at (sku, name, price), so its caller
-- (order-api) needs no separate price lookup and a retried request gets the same prices. Filled
-- from the catalog for reservations made before this migration; an item whose product has since
-- been deleted keeps NULLs.
ALTER TABLE reservation_items
  ADD COLUMN sku text,
  ADD COLUMN name text,
  ADD COLUMN price_minor integer,
  ADD COLUMN currency char(3);
UPDATE reservation_items ri
   SET sku = p.sku, name = p.name, price_minor = p.price_minor, currency = p.currency
  FROM products p
 WHERE p.id = ri.product_id;
