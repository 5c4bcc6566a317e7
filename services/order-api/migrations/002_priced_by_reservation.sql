-- An order is recorded (pending) before product-api is called, and product-api's answer to the
-- reservation prices it, so a pending order, or one that failed before product-api took its
-- stock, has no currency or total yet. A confirmed order always has both.
ALTER TABLE orders ALTER COLUMN currency DROP NOT NULL;
ALTER TABLE orders ALTER COLUMN total_minor DROP NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_confirmed_priced
  CHECK (status <> 'confirmed' OR (currency IS NOT NULL AND total_minor IS NOT NULL));
